package io.tri4j.interop;

import io.tri4j.Server;
import io.tri4j.examples.GreeterServer;
import io.tri4j.services.health.HealthStatusManager;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The examples' server (Greeter, health and reflection) on a free loopback port, once per test
 * class: register it as a static {@code @RegisterExtension} field.
 */
final class ExamplesServer implements BeforeAllCallback, AfterAllCallback {
  private Server server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server =
        new Server(GreeterServer.configs("127.0.0.1", 0, new HealthStatusManager(), true)).start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  String base() {
    return "http://127.0.0.1:" + server.port();
  }
}
