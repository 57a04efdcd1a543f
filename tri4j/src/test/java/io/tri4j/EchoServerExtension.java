package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tri4j.internal.transport.SocketTransport;
import io.tri4j.internal.transport.TransportProperty;
import io.tri4j.testing.TestPki;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@link Server} with the {@link EchoService} on a free loopback port for a test
 * class, and a {@link Client} connected to it; both are closed after the class. On a class marked
 * {@link InMemory}, the same server and client talk over the in-memory transport instead, so that a
 * subclass runs a whole test class again without sockets.
 */
final class EchoServerExtension implements BeforeAllCallback, AfterAllCallback {
  static final int MAX_MESSAGE = 16 * 1024 * 1024;

  /** Runs the marked test class over the in-memory transport. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Inherited
  @interface InMemory {}

  /**
   * Runs the marked test class with interceptors on both sides that pass everything on unchanged
   * (and count it), so that every call style goes through the interceptor chains.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Inherited
  @interface Intercepted {}

  /**
   * Server calls and client calls seen by the pass-through interceptors of an intercepted class.
   */
  final java.util.concurrent.atomic.AtomicInteger serverCallsSeen =
      new java.util.concurrent.atomic.AtomicInteger();

  final java.util.concurrent.atomic.AtomicInteger clientCallsSeen =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Runs the marked test class over TLS: a server certificate from {@link TestPki#shared()}, the
   * client trusting its authority, both with the provider named.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Inherited
  @interface Tls {
    TlsProvider value() default TlsProvider.AUTO;
  }

  /**
   * Runs the marked test class with the server's and the client's sockets on the transport named
   * (through the system property a user sets); skipped where that transport cannot run.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Inherited
  @interface OnTransport {
    SocketTransport value();
  }

  /** Runs the marked test class with the client speaking {@code value} rather than gRPC. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Inherited
  @interface Protocol {
    ReferenceConfig.WireProtocol value();
  }

  private boolean intercepted;
  private ReferenceConfig.WireProtocol protocol;
  private ClientResources transportResources;
  private ClientTls clientTls;

  final EchoService service = new EchoService();
  private Server server;
  private Client client;
  private String inMemoryName;

  @Override
  public void beforeAll(ExtensionContext context) {
    OnTransport on = context.getRequiredTestClass().getAnnotation(OnTransport.class);
    transportResources = null; // subclasses share the extension of their parent
    if (on == null) {
      start(context);
      return;
    }
    Throwable why = on.value().unavailabilityCause();
    assumeTrue(why == null, () -> on.value() + " cannot run here: " + why);
    TransportProperty.with(
        on.value(),
        () -> {
          transportResources = ClientResources.create();
          start(context);
        });
    assertThat(server.socketTransport()).isEqualTo(on.value());
    assertThat(transportResources.pool().socketTransport()).isEqualTo(on.value());
  }

  private void start(ExtensionContext context) {
    ServiceConfig config = new ServiceConfig(service.handler());
    intercepted = context.getRequiredTestClass().isAnnotationPresent(Intercepted.class);
    Protocol wire = context.getRequiredTestClass().getAnnotation(Protocol.class);
    protocol = wire == null ? null : wire.value();
    if (intercepted) {
      config = config.withInterceptors(PassThrough.server(serverCallsSeen));
    }
    if (context.getRequiredTestClass().isAnnotationPresent(InMemory.class)) {
      inMemoryName = context.getRequiredTestClass().getName();
      config = config.withInMemoryName(inMemoryName);
    } else {
      inMemoryName = null;
      config = config.withHost("127.0.0.1").withPort(0);
    }
    ServerOptions options = ServerOptions.defaults().withMaxInboundMessageSize(MAX_MESSAGE);
    Tls tls = context.getRequiredTestClass().getAnnotation(Tls.class);
    clientTls = null;
    if (tls != null) {
      TestPki.Issued cert = TestPki.shared().issue("echo server", "127.0.0.1");
      options =
          options.withTls(
              ServerTls.fromPem(cert.certificateFile(), cert.keyFile()).withProvider(tls.value()));
      clientTls =
          ClientTls.defaults()
              .withTrustedCertificates(TestPki.shared().certificateFile())
              .withProvider(tls.value());
    }
    server = new Server(options, config).start();
    assertThat(server.addresses()).hasSize(inMemoryName == null ? 1 : 0);
    client = newClient();
  }

  /** A new client of the echo service; the caller closes it. */
  Client newClient() {
    ReferenceConfig reference = reference().withMaxInboundMessageSize(MAX_MESSAGE);
    if (intercepted) {
      reference = reference.withInterceptors(PassThrough.client(clientCallsSeen));
    }
    return transportResources == null
        ? new Client(reference)
        : new Client(reference, transportResources);
  }

  /** Whether the server listens on a TCP port (not only in memory). */
  boolean isTcp() {
    return inMemoryName == null;
  }

  ReferenceConfig reference() {
    return reference(EchoService.NAME);
  }

  /** A reference to {@code serviceName} on this server, whether the server serves it or not. */
  ReferenceConfig reference(String serviceName) {
    if (inMemoryName != null) {
      return ReferenceConfig.forInMemory(inMemoryName, serviceName);
    }
    ReferenceConfig reference =
        ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + serviceName);
    if (protocol != null) {
      reference = reference.withWireProtocol(protocol);
    }
    return clientTls == null ? reference : reference.withTls(clientTls);
  }

  Server server() {
    return server;
  }

  Client client() {
    return client;
  }

  UnaryCallable<String, String> unary(String method) {
    return client.unary(method, EchoService.SER, EchoService.DES);
  }

  ClientStreamCallable<String, String> clientStream(String method) {
    return client.clientStream(method, EchoService.SER, EchoService.DES);
  }

  ServerStreamCallable<String, String> serverStream(String method) {
    return client.serverStream(method, EchoService.SER, EchoService.DES);
  }

  BidiStreamCallable<String, String> bidiStream(String method) {
    return client.bidiStream(method, EchoService.SER, EchoService.DES);
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    if (intercepted) {
      assertThat(serverCallsSeen.get()).as("calls through the server's interceptor").isPositive();
      assertThat(clientCallsSeen.get()).as("calls through the client's interceptor").isPositive();
    }
    if (client != null) {
      client.close();
    }
    if (transportResources != null) {
      transportResources.close();
    }
    if (server != null) {
      server.shutdown();
      // Every test's calls are over, so no handler may still hold a thread.
      boolean terminated = server.awaitTermination(Duration.ofSeconds(10));
      server.close();
      assertThat(terminated).as("server terminated after its calls ended").isTrue();
    }
  }
}
