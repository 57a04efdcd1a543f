package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server with the {@link ContextService} on loopback for a test class. On a class marked
 * {@link EchoServerExtension.InMemory}, the server and the clients made here talk over the
 * in-memory transport instead; on a class marked {@link EchoServerExtension.Intercepted}, they run
 * every call through pass-through interceptors.
 */
final class ContextServerExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  final ContextService service = new ContextService();
  private Server server;
  private boolean intercepted;
  private ReferenceConfig.WireProtocol protocol;
  private String inMemoryName;
  private final AtomicInteger serverCallsSeen = new AtomicInteger();
  private final AtomicInteger clientCallsSeen = new AtomicInteger();

  @Override
  public void beforeAll(ExtensionContext context) {
    intercepted =
        context.getRequiredTestClass().isAnnotationPresent(EchoServerExtension.Intercepted.class);
    EchoServerExtension.Protocol wire =
        context.getRequiredTestClass().getAnnotation(EchoServerExtension.Protocol.class);
    protocol = wire == null ? null : wire.value();
    ServiceConfig config = new ServiceConfig(service.handler()).withHost("127.0.0.1").withPort(0);
    inMemoryName =
        context.getRequiredTestClass().isAnnotationPresent(EchoServerExtension.InMemory.class)
            ? context.getRequiredTestClass().getName()
            : null;
    if (inMemoryName != null) {
      config = config.withInMemoryName(inMemoryName);
    }
    if (intercepted) {
      config = config.withInterceptors(PassThrough.server(serverCallsSeen));
    }
    server = new Server(config).start();
    assertThat(server.addresses()).hasSize(inMemoryName == null ? 1 : 0);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    service.events.clear();
  }

  /** Whether the server listens on a TCP port (not only in memory). */
  boolean isTcp() {
    return inMemoryName == null;
  }

  String url(String query) {
    return "tri://127.0.0.1:" + server.port() + "/" + ContextService.NAME + query;
  }

  /** A reference to the server with {@code query}'s parameters, over TCP or in memory. */
  ReferenceConfig reference(String query) {
    if (inMemoryName == null) {
      return ReferenceConfig.fromUrl(url(query));
    }
    ReferenceConfig reference = ReferenceConfig.forInMemory(inMemoryName, ContextService.NAME);
    for (String pair : query.replaceFirst("^\\?", "").split("&")) {
      if (!pair.isEmpty()) {
        String[] nameValue = pair.split("=", 2);
        reference = reference.withParameter(nameValue[0], nameValue[1]);
      }
    }
    return reference;
  }

  Client newClient(String query) {
    ReferenceConfig reference = reference(query);
    if (protocol != null) {
      reference = reference.withWireProtocol(protocol);
    }
    if (intercepted) {
      reference = reference.withInterceptors(PassThrough.client(clientCallsSeen));
    }
    return new Client(reference);
  }

  int port() {
    return server.port();
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    if (intercepted) {
      assertThat(serverCallsSeen.get()).as("calls through the server's interceptor").isPositive();
      assertThat(clientCallsSeen.get()).as("calls through the client's interceptor").isPositive();
    }
    server.shutdown();
    boolean terminated = server.awaitTermination(Duration.ofSeconds(10));
    server.close();
    assertThat(terminated).as("no handler left running").isTrue();
  }
}
