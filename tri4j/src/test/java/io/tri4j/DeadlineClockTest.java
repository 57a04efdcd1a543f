package io.tri4j;

import static io.tri4j.StatusAssertions.assertFailsWithStatus;
import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.internal.call.FakeClock;
import io.tri4j.internal.codec.MessageFramer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deadlines timed by the call layer, on fake clocks that the test moves: the client's and the
 * server's apart, with no real-time waits. {@link DeadlineTest} is the same contract on the system
 * clock.
 */
@Timeout(30)
class DeadlineClockTest {
  private static final CallOptions FIVE_SECONDS =
      CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5));

  private final ContextService service = new ContextService();
  private final FakeClock serverClock = new FakeClock();
  private final FakeClock clientClock = new FakeClock();
  private Server server;
  private ClientResources resources;
  private Client client;

  @BeforeEach
  void start() {
    server =
        new Server(
                ServerOptions.defaults().withClock(serverClock),
                new ServiceConfig(service.handler()).withHost("127.0.0.1").withPort(0))
            .start();
    resources = ClientResources.forOneClient(1, null, clientClock);
    client =
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + ContextService.NAME),
            resources);
  }

  @AfterEach
  void stop() {
    client.close();
    resources.close();
    server.close();
  }

  private UnaryCallable<String, String> sleep() {
    return client.unary("sleep", EchoService.SER, EchoService.DES);
  }

  /** A bidi call whose handler echoed one request and now waits in read(). */
  private StreamingCall<String, String> bidiBlockedInRead() {
    StreamingCall<String, String> call =
        client.bidiStream("blockRead", EchoService.SER, EchoService.DES).call(FIVE_SECONDS);
    call.write("first");
    assertThat(call.read()).isEqualTo("first");
    return call;
  }

  @Test
  void grpcWebOverHttp1_grpcTimeoutPasses_answersDeadlineExceeded_andTheCallIsCancelled()
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server.port() + "/" + ContextService.NAME + "/sleep"))
            .header("content-type", "application/grpc-web+proto")
            .header("grpc-timeout", "5S")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    MessageFramer.frame("60000".getBytes(StandardCharsets.UTF_8))))
            .build();
    CompletableFuture<HttpResponse<byte[]>> response =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(service.sleeping.tryAcquire(10, TimeUnit.SECONDS)).isTrue(); // its handler runs
    serverClock.advance(Duration.ofMillis(4999));
    assertThat(response).isNotDone();

    serverClock.advance(Duration.ofMillis(1));

    HttpResponse<byte[]> answer = response.get(10, TimeUnit.SECONDS);
    assertThat(answer.headers().firstValue("grpc-status")).hasValue("4"); // DEADLINE_EXCEEDED
    assertThat(List.of(service.nextEvent(), service.nextEvent()))
        .containsExactlyInAnyOrder("sleep:cancelled", "listener:cancelled");
  }

  @Test
  void unary_clientDeadlinePasses_failsDeadlineExceeded_andTheServerCallEnds() throws Exception {
    CompletableFuture<String> reply = sleep().callAsync("60000", FIVE_SECONDS);
    serverClock.awaitPendingTimers(1); // the server has the call
    clientClock.advance(Duration.ofMillis(4999));
    assertThat(reply).isNotDone();

    clientClock.advance(Duration.ofMillis(1));

    assertFailsWithStatus(reply, Status.Code.DEADLINE_EXCEEDED, "within the call's timeout");
    serverClock.awaitPendingTimers(0); // the client's reset ended the server's call
  }

  @Test
  void bidi_clientDeadlinePasses_readFailsDeadlineExceeded() throws Exception {
    StreamingCall<String, String> call = bidiBlockedInRead();

    clientClock.advance(Duration.ofSeconds(5));

    assertStatus(call::read, Status.Code.DEADLINE_EXCEEDED, "within the call's timeout");
    // The server's clock has not moved: to it, the client cancelled.
    assertThat(service.nextEvent()).isEqualTo("read:CANCELLED");
    assertThat(service.nextEvent()).isEqualTo("cancelled:true");
  }

  @Test
  void deferredCall_whoseStageNeverCompletes_failsDeadlineExceeded_andNothingIsSent() {
    CompletableFuture<String> reply =
        sleep().callAsync("1", FIVE_SECONDS.withInterceptors(DeadlineTest.NEVER_READY));
    assertThat(reply).isNotDone();

    clientClock.advance(Duration.ofSeconds(5));

    assertFailsWithStatus(reply, Status.Code.DEADLINE_EXCEEDED, "within the call's timeout");
    assertThat(service.events).isEmpty();
  }

  @Test
  void callThatEndsBeforeItsDeadline_leavesNoTimerOnEitherSide() throws Exception {
    assertThat(sleep().call("0", FIVE_SECONDS)).isEqualTo("slept 0");
    ResponseStream<String> echoes =
        client
            .bidiStream("blockRead", EchoService.SER, EchoService.DES)
            .call(List.of("a", "b").iterator(), FIVE_SECONDS);
    assertThat(echoes).containsExactly("a", "b");

    assertThat(clientClock.pendingTimers()).isZero();
    serverClock.awaitPendingTimers(0);
  }

  @Test
  void unary_serverDeadlinePasses_handlerSeesTheCancel_andTheClientGetsDeadlineExceeded()
      throws Exception {
    CompletableFuture<String> reply = sleep().callAsync("60000", FIVE_SECONDS);
    // Its handler runs: the headers alone may reach the server before the request does.
    assertThat(service.sleeping.tryAcquire(10, TimeUnit.SECONDS)).isTrue();

    serverClock.advance(Duration.ofSeconds(5));

    assertFailsWithStatus(reply, Status.Code.DEADLINE_EXCEEDED, "on the server");
    assertThat(List.of(service.nextEvent(), service.nextEvent()))
        .containsExactlyInAnyOrder("sleep:cancelled", "listener:cancelled");
  }

  @Test
  void bidi_serverDeadlinePasses_whileTheClientStillSends_endsBothSides() throws Exception {
    StreamingCall<String, String> call = bidiBlockedInRead();

    serverClock.advance(Duration.ofSeconds(5));

    assertStatus(call::read, Status.Code.DEADLINE_EXCEEDED, "on the server");
    assertThat(service.nextEvent()).isEqualTo("read:DEADLINE_EXCEEDED");
    assertThat(service.nextEvent()).isEqualTo("cancelled:true");
  }

  @Test
  void clientCancelNearTheServerDeadline_countsAsTheDeadlineOnTheServer() throws Exception {
    StreamingCall<String, String> call = bidiBlockedInRead();
    serverClock.advance(Duration.ofMillis(4950));

    call.cancel("the client's own timer, a moment early");

    assertThat(service.nextEvent()).isEqualTo("read:DEADLINE_EXCEEDED");
    assertThat(service.nextEvent()).isEqualTo("cancelled:true");
  }
}
