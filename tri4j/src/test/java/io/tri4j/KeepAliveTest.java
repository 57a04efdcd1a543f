package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keepalive and connection age over real sockets. */
@Timeout(30)
class KeepAliveTest {
  private final CountDownLatch release = new CountDownLatch(1);

  /** {@code echo} answers at once; {@code hang} answers once the test releases it. */
  private RpcServiceHandler service() {
    return new RpcServiceHandler(
        "keepalive.Test",
        Map.of(
            "echo",
            RpcMethodHandler.unary((String r) -> r, EchoService.DES, EchoService.SER),
            "hang",
            RpcMethodHandler.<String, String>unary(
                r -> {
                  release.await();
                  return r;
                },
                EchoService.DES,
                EchoService.SER)));
  }

  private Server server(ServerOptions options) {
    return new Server(options, new ServiceConfig(service()).withHost("127.0.0.1").withPort(0))
        .start();
  }

  @Test
  void silentPeer_failsItsCallsUnavailable_beforeTheirDeadline() throws Exception {
    try (Server server = server(ServerOptions.defaults());
        TcpRelay relay = new TcpRelay(server.port());
        Client client =
            new Client(
                ReferenceConfig.fromUrl(
                    "tri://127.0.0.1:"
                        + relay.port()
                        + "/keepalive.Test?keepAliveTime=200&keepAliveTimeout=300"))) {
      try {
        assertThat(client.unary("echo", EchoService.SER, EchoService.DES).call("up"))
            .isEqualTo("up");
        relay.silence();
        UnaryCallable<String, String> hang = client.unary("hang", EchoService.SER, EchoService.DES);
        assertThatThrownBy(
                () -> hang.call("x", CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20))))
            .isInstanceOfSatisfying(
                StatusException.class,
                e -> {
                  assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNAVAILABLE);
                  assertThat(e.getStatus().description()).contains("Keepalive ping timed out");
                });
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void maxConnectionAge_movesClientsToNewConnections_withoutFailingACall() throws Exception {
    try (Server server =
            server(ServerOptions.defaults().withMaxConnectionAge(Duration.ofMillis(200)));
        TcpRelay relay = new TcpRelay(server.port());
        Client client =
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + relay.port() + "/keepalive.Test"))) {
      UnaryCallable<String, String> echo = client.unary("echo", EchoService.SER, EchoService.DES);
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      int calls = 0;
      while (relay.acceptedConnections() < 3 && System.nanoTime() < end) {
        assertThat(echo.call("n" + calls)).isEqualTo("n" + calls);
        calls++;
      }
      assertThat(relay.acceptedConnections())
          .as("connections after %d calls", calls)
          .isGreaterThanOrEqualTo(3);
      release.countDown();
    }
  }
}
