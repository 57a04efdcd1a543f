package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@link Server} with the {@link EchoService} on a free loopback port for a test
 * class, and a {@link Client} connected to it; both are closed after the class.
 */
final class EchoServerExtension implements BeforeAllCallback, AfterAllCallback {
  static final int MAX_MESSAGE = 16 * 1024 * 1024;

  final EchoService service = new EchoService();
  private Server server;
  private Client client;

  @Override
  public void beforeAll(ExtensionContext context) {
    server =
        new Server(
                new ServiceConfig(service.handler())
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withMaxInboundMessageSize(MAX_MESSAGE))
            .start();
    client = newClient();
  }

  /** A new client of the echo service; the caller closes it. */
  Client newClient() {
    return new Client(reference().withMaxInboundMessageSize(MAX_MESSAGE));
  }

  ReferenceConfig reference() {
    return ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + EchoService.NAME);
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
    if (client != null) {
      client.close();
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
