package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real server with the {@link ContextService} on loopback for a test class. */
final class ContextServerExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  final ContextService service = new ContextService();
  private Server server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server =
        new Server(new ServiceConfig(service.handler()).withHost("127.0.0.1").withPort(0)).start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    service.events.clear();
  }

  String url(String query) {
    return "tri://127.0.0.1:" + server.port() + "/" + ContextService.NAME + query;
  }

  Client newClient(String query) {
    return new Client(ReferenceConfig.fromUrl(url(query)));
  }

  int port() {
    return server.port();
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    server.shutdown();
    boolean terminated = server.awaitTermination(Duration.ofSeconds(10));
    server.close();
    assertThat(terminated).as("no handler left running").isTrue();
  }
}
