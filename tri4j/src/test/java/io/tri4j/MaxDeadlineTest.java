package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.tri4j.internal.call.FakeClock;
import io.tri4j.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's cap on a call's deadline ({@link ServerOptions#withMaxDeadline}) over real sockets,
 * on a server clock the test moves: over HTTP/2 and over HTTP/1.1 with JSON.
 */
@Timeout(30)
class MaxDeadlineTest {
  private static final Duration CAP = Duration.ofSeconds(30);

  private final ContextService service = new ContextService();
  private final FakeClock serverClock = new FakeClock();
  private final CountDownLatch parked = new CountDownLatch(1);
  private final CountDownLatch parkedCancelled = new CountDownLatch(1);
  private Server server;
  private Client client;

  /** "svc.Capped": JSON-capable methods; "park" waits until its call is cancelled. */
  private RpcServiceHandler jsonService() {
    return new RpcServiceHandler(
        "svc.Capped",
        Map.of(
            "remaining",
            RpcMethodHandler.unary(
                (StringValue v) ->
                    StringValue.of(
                        String.valueOf(
                            ServerContext.current().timeRemaining().orElseThrow().toMillis())),
                Protobuf.deserializer(StringValue.parser()),
                Protobuf.serializer()),
            "park",
            RpcMethodHandler.unary(
                (StringValue v) -> {
                  CountDownLatch cancelled = new CountDownLatch(1);
                  ServerContext.current().addCancelListener(cancelled::countDown);
                  parked.countDown();
                  cancelled.await();
                  parkedCancelled.countDown();
                  return v;
                },
                Protobuf.deserializer(StringValue.parser()),
                Protobuf.serializer())));
  }

  @BeforeEach
  void start() {
    server =
        new Server(
                ServerOptions.defaults().withClock(serverClock).withMaxDeadline(CAP),
                new ServiceConfig(service.handler()).withHost("127.0.0.1").withPort(0),
                new ServiceConfig(jsonService()).withHost("127.0.0.1").withPort(0))
            .start();
    client =
        new Client(
            ReferenceConfig.fromUrl(
                "tri://127.0.0.1:" + server.port() + "/" + ContextService.NAME));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private String remaining(CallOptions options) {
    return client
        .unary("remaining", EchoService.SER, EchoService.DES)
        .call("", options == null ? CallOptions.DEFAULT : options);
  }

  @Test
  void callWithoutDeadline_runsWithTheCap_andItsHandlerSeesIt() {
    // The server's clock does not move: the time left is exactly the cap.
    assertThat(remaining(null)).isEqualTo("30000");
  }

  @Test
  void callAskingForMore_getsTheCap_callAskingForLess_keepsItsOwn() {
    assertThat(remaining(CallOptions.DEFAULT.withTimeout(Duration.ofHours(1)))).isEqualTo("30000");
    // The client's timeout is its own: some of it went by on the way.
    assertThat(Long.parseLong(remaining(CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)))))
        .isBetween(4000L, 5000L);
  }

  @Test
  void callWithoutDeadline_runningPastTheCap_endsDeadlineExceededOnBothSides() throws Exception {
    StreamingCall<String, String> call =
        client.bidiStream("blockRead", EchoService.SER, EchoService.DES).call();
    call.write("first");
    assertThat(call.read()).isEqualTo("first");

    try (LogCapture logs = LogCapture.open()) {
      serverClock.advance(CAP);

      assertStatus(call::read, Status.Code.DEADLINE_EXCEEDED, "on the server");
      assertThat(service.nextEvent()).isEqualTo("read:DEADLINE_EXCEEDED");
      assertThat(service.nextEvent()).isEqualTo("cancelled:true");
      assertThat(logs.events()).isEmpty();
    }
  }

  private HttpResponse<String> postJson(HttpClient http, String method) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/svc.Capped/" + method))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("\"x\""))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void http1JsonCall_runsWithTheCap_andEndsDeadlineExceededWhenItPasses() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    assertThat(postJson(http, "remaining").body()).isEqualTo("\"30000\"");

    CompletableFuture<HttpResponse<String>> reply =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return postJson(http, "park");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
    serverClock.advance(CAP);

    HttpResponse<String> response = reply.get(10, TimeUnit.SECONDS);
    assertThat(response.headers().firstValue("grpc-status")).contains("4");
    assertThat(response.body()).contains("Deadline exceeded");
    assertThat(parkedCancelled.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
