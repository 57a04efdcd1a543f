package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.testing.LeakCheckExtension;
import io.tri4j.testing.TestPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.common.stream.StreamObserver;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.SslConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.TriRpcStatus;
import org.apache.dubbo.rpc.model.FrameworkModel;
import org.apache.dubbo.samples.proto.DubboGreeterTriple;
import org.apache.dubbo.samples.proto.Greeter;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;

/**
 * Apache Dubbo 3.3 Triple providers and consumers, in this JVM, on loopback only.
 *
 * <p>Dubbo treats {@code 127.0.0.1} as "no host": a provider would bind every interface and a
 * consumer would dial the machine's primary address instead. The IPv4-mapped {@code
 * ::ffff:127.0.0.1} keeps both on loopback.
 */
final class DubboPeers {
  static final String LOOPBACK = "::ffff:127.0.0.1";

  private DubboPeers() {}

  private static ApplicationConfig app(String name) {
    ApplicationConfig app = new ApplicationConfig(name);
    app.setQosEnable(false); // no QoS server on port 22222
    app.setLogger("slf4j");
    return app;
  }

  /** A Dubbo application; closing it destroys its bootstrap (not the whole framework). */
  record Running(DubboBootstrap bootstrap, Greeter greeter) implements AutoCloseable {
    @Override
    public void close() {
      bootstrap.destroy();
    }
  }

  /**
   * A provider on {@code port} exporting the Greeter once per entry of {@code exports}: {@code
   * null} for the plain service, else {@code "version"}, {@code "version@group"} or {@code
   * "@group"}. Each answers greet with {@code "<entry> hello <name>"} (or {@code "hello <name>"}).
   */
  static Running provider(int port, String... exports) {
    return tlsProvider(port, null, exports);
  }

  /** As {@link #provider(int, String...)}, serving TLS only (plaintext if {@code ssl} is null). */
  static Running tlsProvider(int port, SslConfig ssl, String... exports) {
    DubboBootstrap bootstrap =
        withSsl(
            DubboBootstrap.newInstance(new FrameworkModel())
                .application(app("tri4j-interop-provider"))
                .registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
                .protocol(protocol(port, ssl)),
            ssl);
    for (String export : exports) {
      ServiceConfig<Greeter> service = new ServiceConfig<>();
      service.setInterface(Greeter.class);
      service.setRef(new DubboGreeter(export == null ? "" : export + " "));
      if (export != null) {
        int at = export.indexOf('@');
        String version = at < 0 ? export : export.substring(0, at);
        if (!version.isEmpty()) {
          service.setVersion(version);
        }
        if (at >= 0) {
          service.setGroup(export.substring(at + 1));
        }
      }
      bootstrap.service(service);
    }
    bootstrap.start();
    return new Running(bootstrap, null);
  }

  /**
   * A provider on {@code port} that registers the plain Greeter in {@code registryUrl}; with TLS
   * (registered as {@code ssl-enabled=true}) if {@code ssl} is not null.
   */
  static Running registeredProvider(int port, String registryUrl, SslConfig ssl) {
    ServiceConfig<Greeter> service = new ServiceConfig<>();
    service.setInterface(Greeter.class);
    service.setRef(new DubboGreeter(""));
    DubboBootstrap bootstrap =
        withSsl(
                DubboBootstrap.newInstance(new FrameworkModel())
                    .application(app("dubbo-zk-provider"))
                    .registry(new RegistryConfig(registryUrl))
                    .protocol(protocol(port, ssl))
                    .service(service),
                ssl)
            .start();
    return new Running(bootstrap, null);
  }

  /**
   * A provider of the plain Greeter on {@code port}, registered in {@code registryUrl} (which may
   * carry Dubbo's {@code register-mode}) as application {@code app}, keeping its metadata as {@code
   * metadataType} says ({@code local} or {@code remote}); greet answers {@code "<prefix>hello
   * <name>"}.
   */
  static Running registeredProvider(
      int port, String registryUrl, String app, String metadataType, String prefix) {
    ProtocolConfig protocol = new ProtocolConfig("tri", port);
    protocol.setHost(LOOPBACK);
    ServiceConfig<Greeter> service = new ServiceConfig<>();
    service.setInterface(Greeter.class);
    service.setRef(new DubboGreeter(prefix));
    ApplicationConfig application = app(app);
    application.setMetadataType(metadataType);
    DubboBootstrap bootstrap =
        DubboBootstrap.newInstance(new FrameworkModel())
            .application(application)
            .registry(new RegistryConfig(registryUrl))
            .protocol(protocol)
            .service(service)
            .start();
    return new Running(bootstrap, null);
  }

  /** A consumer (default discovery settings) of the Greeter providers in {@code registryUrl}. */
  static Running registryConsumer(String registryUrl) {
    return registryConsumer(registryUrl, null, null);
  }

  /** A consumer of the Greeter providers in {@code registryUrl}, with TLS. */
  static Running registryConsumer(String registryUrl, SslConfig ssl) {
    return registryConsumer(registryUrl, null, ssl);
  }

  /** A consumer of the Greeter providers in {@code registryUrl} at Dubbo's migration step. */
  static Running registryConsumer(String registryUrl, String step) {
    return registryConsumer(registryUrl, step, null);
  }

  /**
   * A consumer of the Greeter providers in {@code registryUrl} at Dubbo's migration {@code step}
   * ({@code FORCE_INTERFACE}, {@code APPLICATION_FIRST}, {@code FORCE_APPLICATION}; null for the
   * default); with TLS if {@code ssl} is not null.
   */
  static Running registryConsumer(String registryUrl, String step, SslConfig ssl) {
    ReferenceConfig<Greeter> reference = new ReferenceConfig<>();
    reference.setInterface(Greeter.class);
    if (step != null) {
      reference.setParameters(Map.of("migration.step", step));
    }
    reference.setTimeout(5000);
    reference.setRetries(0);
    reference.setCheck(false);
    DubboBootstrap bootstrap =
        withSsl(
                DubboBootstrap.newInstance(new FrameworkModel())
                    .application(app("dubbo-zk-consumer"))
                    .registry(new RegistryConfig(registryUrl))
                    .reference(reference),
                ssl)
            .start();
    return new Running(bootstrap, reference.get());
  }

  /** A consumer of the Greeter at {@code port}; version may be null. */
  static Running consumer(int port, String version, int timeoutMillis) {
    return consumer(port, version, null, timeoutMillis);
  }

  /** A consumer of the Greeter at {@code port}; version and group may be null. */
  static Running consumer(int port, String version, String group, int timeoutMillis) {
    return consumer(port, version, group, timeoutMillis, null);
  }

  /**
   * A consumer of the Greeter at {@code port}; version, group and {@code ssl} (TLS when given) may
   * be null.
   */
  static Running consumer(
      int port, String version, String group, int timeoutMillis, SslConfig ssl) {
    ReferenceConfig<Greeter> reference = new ReferenceConfig<>();
    reference.setInterface(Greeter.class);
    reference.setUrl("tri://[" + LOOPBACK + "]:" + port + "/" + Greeter.class.getName());
    reference.setTimeout(timeoutMillis);
    reference.setRetries(0);
    reference.setCheck(false);
    if (version != null) {
      reference.setVersion(version);
    }
    if (group != null) {
      reference.setGroup(group);
    }
    DubboBootstrap bootstrap =
        withSsl(
                DubboBootstrap.newInstance(new FrameworkModel())
                    .application(app("tri4j-interop-consumer"))
                    .registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
                    .reference(reference),
                ssl)
            .start();
    return new Running(bootstrap, reference.get());
  }

  /** Dubbo's settings for serving TLS with {@code cert}. */
  static SslConfig serverSsl(TestPki.Issued cert) {
    SslConfig ssl = new SslConfig();
    ssl.setServerKeyCertChainPath(cert.certificateFile().toString());
    ssl.setServerPrivateKeyPath(cert.keyFile().toString());
    return ssl;
  }

  /**
   * Dubbo's settings for dialling with TLS, trusting {@code trusted}. Dubbo 3.3 uses TLS as a
   * consumer only when it has a key of its own to show: {@code cert}.
   */
  static SslConfig clientSsl(TestPki.Issued cert, Path trusted) {
    SslConfig ssl = new SslConfig();
    ssl.setClientTrustCertCollectionPath(trusted.toString());
    ssl.setClientKeyCertChainPath(cert.certificateFile().toString());
    ssl.setClientPrivateKeyPath(cert.keyFile().toString());
    return ssl;
  }

  /**
   * Takes the leak records of buffers Dubbo 3.3.6's provider allocates for each TLS connection that
   * chose {@code h2} and never releases (in {@code NettyPortUnificationServerHandler}): Dubbo's
   * leak, which would otherwise fail the test class that ran a Dubbo TLS provider.
   */
  static void forgetDubboTlsProviderLeaks() {
    LeakCheckExtension.collectLeaks(
        leak -> leak.records().contains("NettyPortUnificationServerHandler$1.configurePipeline"));
  }

  private static ProtocolConfig protocol(int port, SslConfig ssl) {
    ProtocolConfig protocol = new ProtocolConfig("tri", port);
    protocol.setHost(LOOPBACK);
    if (ssl != null) {
      protocol.setSslEnabled(true); // what its registered URL says
    }
    return protocol;
  }

  /**
   * Dubbo's TLS is per application: a provider with server files serves TLS on every port, and a
   * consumer with a client key dials every provider with TLS.
   */
  private static DubboBootstrap withSsl(DubboBootstrap bootstrap, SslConfig ssl) {
    return ssl == null ? bootstrap : bootstrap.ssl(ssl);
  }

  private static GreeterReply reply(String message) {
    return GreeterReply.newBuilder().setMessage(message).build();
  }

  /**
   * Greeter written with Dubbo, behaving as tri4j's example server does; a name {@code error:X}
   * fails with NOT_FOUND and message X, {@code sleep:N} sleeps N ms first.
   */
  static final class DubboGreeter extends DubboGreeterTriple.GreeterImplBase {
    private final String prefix;

    DubboGreeter(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public GreeterReply greet(GreeterRequest request) {
      String name = request.getName();
      if (name.startsWith("error:")) {
        throw TriRpcStatus.NOT_FOUND.withDescription(name.substring(6)).asException();
      }
      if (name.startsWith("sleep:")) {
        try {
          Thread.sleep(Long.parseLong(name.substring(6)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return reply(prefix + "hello " + name);
    }

    @Override
    public void serverStream(GreeterRequest request, StreamObserver<GreeterReply> out) {
      for (int i = 0; i < 3; i++) {
        out.onNext(reply(request.getName() + "-" + i));
      }
      out.onCompleted();
    }

    @Override
    public StreamObserver<GreeterRequest> clientStream(StreamObserver<GreeterReply> out) {
      List<String> names = new ArrayList<>();
      return new StreamObserver<>() {
        @Override
        public void onNext(GreeterRequest request) {
          names.add(request.getName());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onNext(reply(String.join(" ", names)));
          out.onCompleted();
        }
      };
    }

    @Override
    public StreamObserver<GreeterRequest> biStream(StreamObserver<GreeterReply> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(GreeterRequest request) {
          out.onNext(reply(request.getName()));
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }

  /**
   * Runs the three streaming styles of the Greeter from a Dubbo consumer against the example
   * service and checks every reply; the unary style is left to the caller.
   */
  static void assertStreamingStyles(Greeter greeter) throws Exception {
    Collect stream = new Collect();
    greeter.serverStream(request("s"), stream);
    assertThat(stream.done.get(10, TimeUnit.SECONDS)).containsExactly("s-0", "s-1", "s-2");

    Collect single = new Collect();
    StreamObserver<GreeterRequest> requests = greeter.clientStream(single);
    requests.onNext(request("hello"));
    requests.onNext(request("dubbo"));
    requests.onCompleted();
    assertThat(single.done.get(10, TimeUnit.SECONDS)).containsExactly("hello dubbo");

    Collect echoes = new Collect();
    StreamObserver<GreeterRequest> bidi = greeter.biStream(echoes);
    bidi.onNext(request("ping"));
    bidi.onNext(request("pong"));
    bidi.onCompleted();
    assertThat(echoes.done.get(10, TimeUnit.SECONDS)).containsExactly("ping", "pong");
  }

  private static GreeterRequest request(String name) {
    return GreeterRequest.newBuilder().setName(name).build();
  }

  /** Collects a Dubbo stream. */
  static final class Collect implements StreamObserver<GreeterReply> {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final CompletableFuture<List<String>> done = new CompletableFuture<>();

    @Override
    public void onNext(GreeterReply reply) {
      messages.add(reply.getMessage());
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(messages);
    }
  }
}
