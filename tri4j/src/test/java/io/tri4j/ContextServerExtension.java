package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server with the {@link ContextService} on loopback for a test class; on a class marked
 * {@link EchoServerExtension.Intercepted}, server and clients run every call through pass-through
 * interceptors.
 */
final class ContextServerExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  final ContextService service = new ContextService();
  private Server server;
  private boolean intercepted;
  private final AtomicInteger serverCallsSeen = new AtomicInteger();
  private final AtomicInteger clientCallsSeen = new AtomicInteger();

  @Override
  public void beforeAll(ExtensionContext context) {
    intercepted =
        context.getRequiredTestClass().isAnnotationPresent(EchoServerExtension.Intercepted.class);
    ServiceConfig config = new ServiceConfig(service.handler()).withHost("127.0.0.1").withPort(0);
    if (intercepted) {
      config = config.withInterceptors(PassThrough.server(serverCallsSeen));
    }
    server = new Server(config).start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    service.events.clear();
  }

  String url(String query) {
    return "tri://127.0.0.1:" + server.port() + "/" + ContextService.NAME + query;
  }

  Client newClient(String query) {
    ReferenceConfig reference = ReferenceConfig.fromUrl(url(query));
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
