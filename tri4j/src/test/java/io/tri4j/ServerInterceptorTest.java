package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.testing.Closer;
import io.tri4j.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/**
 * What a server's interceptors hear besides the calls they wrap: calls to methods the server does
 * not serve ({@link ServerInterceptor#onUnknownMethod}), and when each call's headers arrived
 * ({@link ServerCall#startNanoTime}). Over real sockets.
 */
@Timeout(30)
class ServerInterceptorTest {
  @RegisterExtension final Closer closer = new Closer();

  private final List<String> heard = new CopyOnWriteArrayList<>();

  /** Records what it hears, as "where: path code". */
  private final class Recording implements ServerInterceptor {
    private final String where;

    Recording(String where) {
      this.where = where;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      heard.add(where + ": call " + call.method().fullName());
      return next.startCall(call, headers);
    }

    @Override
    public void onUnknownMethod(String path, Status status) {
      heard.add(where + ": " + path + " " + status.code());
    }
  }

  private Server server(ServerOptions options) {
    return closer.add(
        new Server(
                options,
                new ServiceConfig(new EchoService().handler())
                    .withInterceptors(new Recording("service"))
                    .withHost("127.0.0.1")
                    .withPort(0))
            .start());
  }

  private Client client(Server server) {
    return closer.add(
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + EchoService.NAME)));
  }

  @Test
  void onUnknownMethod_hearsOfCallsTheServerDoesNotServe_overHttp2AndHttp1() throws Exception {
    Server server = server(ServerOptions.defaults().withInterceptors(new Recording("server")));
    Client client = client(server);

    assertStatus(
        () -> client.unary("missing", EchoService.SER, EchoService.DES).call("x"),
        Status.Code.UNIMPLEMENTED,
        "Method not found");
    HttpResponse<String> http1 =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/no.Such/Thing"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(http1.statusCode()).isEqualTo(404);
    assertThat(client.unary("unary", EchoService.SER, EchoService.DES).call("hi")).isEqualTo("hi");

    // A service's own interceptors hear only of its calls.
    assertThat(heard)
        .containsExactly(
            "server: /" + EchoService.NAME + "/missing UNIMPLEMENTED",
            "server: /no.Such/Thing UNIMPLEMENTED",
            "server: call " + EchoService.NAME + "/unary",
            "service: call " + EchoService.NAME + "/unary");
  }

  @Test
  void onUnknownMethod_thatThrows_isLogged_andTheClientStillHearsUnimplemented() {
    ServerInterceptor failing =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            return next.startCall(call, headers);
          }

          @Override
          public void onUnknownMethod(String path, Status status) {
            throw new IllegalStateException("metrics are down");
          }
        };
    Client client = client(server(ServerOptions.defaults().withInterceptors(failing)));

    try (LogCapture logs = LogCapture.open()) {
      assertStatus(
          () -> client.unary("missing", EchoService.SER, EchoService.DES).call("x"),
          Status.Code.UNIMPLEMENTED,
          "Method not found");
      assertThat(logs.events())
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.level()).isEqualTo(Level.WARN);
                assertThat(event.throwable()).hasMessage("metrics are down");
              });
    }
    assertThat(client.unary("unary", EchoService.SER, EchoService.DES).call("on")).isEqualTo("on");
  }

  @Test
  void startNanoTime_isWhenTheRequestArrived_beforeInterceptorsRun() {
    List<long[]> times = new CopyOnWriteArrayList<>();
    ServerInterceptor timing =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            ServerCall<Q, R> wrapped = new ForwardingServerCall<>(call);
            times.add(new long[] {wrapped.startNanoTime(), System.nanoTime()});
            return next.startCall(wrapped, headers);
          }
        };
    Client client = client(server(ServerOptions.defaults().withInterceptors(timing)));

    long beforeCall = System.nanoTime();
    assertThat(client.unary("unary", EchoService.SER, EchoService.DES).call("t")).isEqualTo("t");

    assertThat(times).hasSize(1);
    assertThat(times.get(0)[0] - beforeCall).isPositive();
    assertThat(times.get(0)[1] - times.get(0)[0]).isNotNegative();
  }
}
