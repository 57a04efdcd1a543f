package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Async server handlers and the server's execution model, over a real connection. */
@Timeout(30)
class AsyncServerTest {
  static final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  static final CountDownLatch release = new CountDownLatch(1);
  static ExecutorService later = Executors.newSingleThreadExecutor();
  static Server server;
  static Server direct;
  static Client client;
  static Client directClient;

  static RpcServiceHandler service() {
    Deserializer<String> des = EchoService.DES;
    Serializer<String> ser = EchoService.SER;
    return new RpcServiceHandler(
        "async.Test",
        Map.of(
            "unary",
            RpcMethodHandler.<String, String>unaryAsync(
                (request, responses) -> {
                  String thread = Thread.currentThread().getName();
                  String header = ServerContext.current().requestHeaders().get("x-who");
                  // Answer later, from another thread: the handler itself returns at once.
                  later.execute(
                      () -> {
                        responses.onNext(request + " from " + header + " on " + thread);
                        responses.onCompleted();
                      });
                },
                des,
                ser),
            "respondThen",
            RpcMethodHandler.<String, String>unaryAsync(
                // What a unary handler may do after its response, before the call ends.
                (request, responses) -> {
                  ServerContext.current().responseHeaders().put("x-handler", "kept");
                  ServerContext.current().setCompression("gzip");
                  responses.onNext("first"); // compressed: the headers must say gzip
                  switch (request) {
                    case "identity" -> ServerContext.current().setCompression("identity");
                    case "fail" -> {
                      responses.onError(Status.ABORTED.withDescription("after all").asException());
                      return;
                    }
                    case "again" -> responses.onNext("second");
                    default -> throw new IllegalArgumentException(request);
                  }
                  responses.onCompleted();
                },
                des,
                ser),
            "fail",
            RpcMethodHandler.<String, String>unaryAsync(
                (request, responses) ->
                    responses.onError(
                        Status.NOT_FOUND.withDescription("no " + request).asException()),
                des,
                ser),
            "many",
            RpcMethodHandler.<String, String>serverStreamAsync(
                (request, responses) -> {
                  int count = Integer.parseInt(request);
                  String payload = "x".repeat(4096);
                  int[] sent = {0};
                  Runnable pump =
                      () -> {
                        synchronized (sent) {
                          while (sent[0] < count && responses.isReady()) {
                            responses.onNext(sent[0]++ + ":" + payload);
                          }
                          if (sent[0] == count) {
                            sent[0]++;
                            responses.onCompleted();
                          }
                        }
                      };
                  responses.setOnReadyHandler(pump);
                  pump.run();
                },
                des,
                ser),
            "endless",
            RpcMethodHandler.<String, String>serverStreamAsync(
                (request, responses) -> {
                  // As fast as the stream is ready, until the call ends.
                  Runnable pump =
                      () -> {
                        synchronized (responses) {
                          while (responses.isReady() && !responses.isCancelled()) {
                            responses.onNext(request);
                          }
                        }
                      };
                  responses.setOnReadyHandler(pump);
                  pump.run();
                },
                des,
                ser),
            "sum",
            RpcMethodHandler.<String, String>clientStreamAsync(
                responses ->
                    new StreamObserver<>() {
                      int total;

                      @Override
                      public void onNext(String value) {
                        total += Integer.parseInt(value);
                      }

                      @Override
                      public void onError(Throwable error) {}

                      @Override
                      public void onCompleted() {
                        responses.onNext(Integer.toString(total));
                        responses.onCompleted();
                      }
                    },
                des,
                ser),
            "echo",
            RpcMethodHandler.<String, String>biStreamAsync(
                responses -> {
                  responses.setOnCancelHandler(() -> events.add("cancel handler"));
                  return new StreamObserver<>() {
                    @Override
                    public void onNext(String value) {
                      responses.onNext(value);
                    }

                    @Override
                    public void onError(Throwable error) {
                      events.add("requests failed: " + Status.fromThrowable(error).code());
                    }

                    @Override
                    public void onCompleted() {
                      responses.onCompleted();
                    }
                  };
                },
                des,
                ser),
            "blocking",
            RpcMethodHandler.<String, String>unary(
                request -> {
                  release.await();
                  return "released";
                },
                des,
                ser),
            "whereBlocking",
            RpcMethodHandler.<String, String>unary(
                request -> Thread.currentThread().getName(), des, ser)));
  }

  @BeforeAll
  static void start() {
    server = new Server(new ServiceConfig(service()).withHost("127.0.0.1").withPort(0)).start();
    direct =
        new Server(
                ServerOptions.defaults().withExecutor(Runnable::run),
                new ServiceConfig(service()).withHost("127.0.0.1").withPort(0))
            .start();
    client =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/async.Test"));
    directClient =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + direct.port() + "/async.Test"));
  }

  /** The client of the server with handlers on the network threads, or of the default one. */
  static Client client(boolean direct) {
    return direct ? directClient : client;
  }

  @AfterAll
  static void stop() {
    release.countDown();
    client.close();
    directClient.close();
    server.close();
    direct.close();
    later.shutdownNow();
  }

  @Test
  void unaryAsync_answersFromAnotherThread_withTheContextAvailable() {
    String reply =
        client
            .unary("unary", EchoService.SER, EchoService.DES)
            .call("hi", CallOptions.DEFAULT.withHeaders(new Metadata().put("x-who", "me")));
    assertThat(reply).startsWith("hi from me on ").doesNotContain("netty");
  }

  @Test
  void defaultExecutors_asyncHandlersOnTheAsyncPool_blockingOnesOnTheBlockingPool() {
    // The async handler answers with the name of the thread it started on.
    assertThat(client.unary("unary", EchoService.SER, EchoService.DES).call("x"))
        .startsWith("x from null on tri4j-async-handler-");
    assertThat(client.unary("whereBlocking", EchoService.SER, EchoService.DES).call("x"))
        .startsWith("tri4j-handler-");
  }

  @ParameterizedTest(name = "handlers on the network threads: {0}")
  @ValueSource(booleans = {false, true})
  void unaryAsync_onError_endsWithThatStatus(boolean direct) {
    assertStatus(
        () -> client(direct).unary("fail", EchoService.SER, EchoService.DES).call("thing"),
        Status.Code.NOT_FOUND,
        "no thing");
  }

  @ParameterizedTest(name = "handlers on the network threads: {0}")
  @ValueSource(booleans = {false, true})
  void unaryAsync_compressionChangedAfterTheResponse_isIgnored(boolean direct) {
    Response<String> response =
        client(direct)
            .unary("respondThen", EchoService.SER, EchoService.DES)
            .callForResponse("identity", CallOptions.DEFAULT);
    assertThat(response.message()).isEqualTo("first");
    assertThat(response.headers().get("x-handler")).isEqualTo("kept");
  }

  @ParameterizedTest(name = "handlers on the network threads: {0}")
  @ValueSource(booleans = {false, true})
  void unaryAsync_errorAfterTheResponse_endsWithTheError(boolean direct) {
    assertStatus(
        () -> client(direct).unary("respondThen", EchoService.SER, EchoService.DES).call("fail"),
        Status.Code.ABORTED,
        "after all");
  }

  @ParameterizedTest(name = "handlers on the network threads: {0}")
  @ValueSource(booleans = {false, true})
  void unaryAsync_twoResponses_failTheCallOnTheClient(boolean direct) {
    assertStatus(
        () -> client(direct).unary("respondThen", EchoService.SER, EchoService.DES).call("again"),
        Status.Code.INTERNAL,
        "More than one response");
  }

  @ParameterizedTest(name = "handlers on the network threads: {0}")
  @ValueSource(booleans = {false, true})
  void serverStreamAsync_followingIsReady_sendsEverything(boolean direct) {
    int count = 0;
    for (String reply :
        client(direct).serverStream("many", EchoService.SER, EchoService.DES).call("3000")) {
      assertThat(reply).startsWith(count + ":");
      count++;
    }
    assertThat(count).isEqualTo(3000);
  }

  @ParameterizedTest(name = "handlers on the network threads: {0}")
  @ValueSource(booleans = {false, true})
  void clientStreamAsync_sums(boolean direct) {
    assertThat(
            client(direct)
                .clientStream("sum", EchoService.SER, EchoService.DES)
                .call(List.of("1", "2", "3", "4")))
        .isEqualTo("10");
  }

  @ParameterizedTest(name = "handlers on the network threads: {0}")
  @ValueSource(booleans = {false, true})
  void biStreamAsync_echoes_andLearnsOfCancellation(boolean direct) throws Exception {
    StreamingCall<String, String> call =
        client(direct).bidiStream("echo", EchoService.SER, EchoService.DES).call();
    call.write("a");
    assertThat(call.read()).isEqualTo("a");
    call.cancel("bye");
    List<String> seen = new ArrayList<>();
    seen.add(events.poll(10, TimeUnit.SECONDS));
    seen.add(events.poll(10, TimeUnit.SECONDS));
    assertThat(seen).containsExactlyInAnyOrder("cancel handler", "requests failed: CANCELLED");
  }

  @Test
  void directExecutor_runsAsyncHandlersOnTheNetworkThread() {
    String reply = directClient.unary("unary", EchoService.SER, EchoService.DES).call("d");
    assertThat(reply).contains("on tri4j-server-netty");
    assertThat(
            directClient
                .clientStream("sum", EchoService.SER, EchoService.DES)
                .call(List.of("5", "6")))
        .isEqualTo("11");
  }

  @ParameterizedTest(name = "handlers on the network threads: {0}")
  @ValueSource(booleans = {false, true})
  void shutdownNow_whileAHandlerWritesAsFastAsItIsReady_terminates(boolean direct)
      throws Exception {
    ServerOptions options = ServerOptions.defaults();
    Server own =
        new Server(
                direct ? options.withExecutor(Runnable::run) : options,
                new ServiceConfig(service()).withHost("127.0.0.1").withPort(0))
            .start();
    try (Client c =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + own.port() + "/async.Test"))) {
      ReadStream<String> replies =
          c.serverStream("endless", EchoService.SER, EchoService.DES).call("x".repeat(1000));
      for (int i = 0; i < 200; i++) {
        assertThat(replies.read()).hasSize(1000);
      }
      // The writer is told it may go on as the connection's last writes complete, or fail: a
      // write on the closing connection must not let it loop there for ever.
      own.shutdownNow();
      assertThat(own.awaitTermination(Duration.ofSeconds(10))).isTrue();
    } finally {
      own.close();
    }
  }

  @Test
  void connectionCut_whileAHandlerOnTheNetworkThreadWaitsForFlowControl_serverGoesOn()
      throws Exception {
    TcpRelay relay = new TcpRelay(direct.port());
    try (Client c =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + relay.port() + "/async.Test"))) {
      ReadStream<String> replies =
          c.serverStream("endless", EchoService.SER, EchoService.DES).call("y".repeat(1000));
      assertThat(replies.read()).hasSize(1000);
      relay.silence(); // the client reads no more: the stream's window fills, the handler waits
      Thread.sleep(300);
      // Cut now, the writes waiting for the window fail and the handler hears it may go on, on
      // the network thread: its next writes must not fail at once and keep it looping there.
      relay.close();
      Thread.sleep(300);
    } finally {
      relay.close();
    }
    // Every network thread of the server still serves.
    for (int i = 0; i < 8; i++) {
      try (Client fresh =
          new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + direct.port() + "/async.Test"))) {
        assertThat(
                fresh
                    .clientStream("sum", EchoService.SER, EchoService.DES)
                    .call(
                        List.of("1", "2"), CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5))))
            .isEqualTo("3");
      }
    }
  }

  @Test
  void blockedHandler_doesNotStallOtherCallsOnTheConnection() throws Exception {
    CompletableFuture<String> blocked =
        client.unary("blocking", EchoService.SER, EchoService.DES).callAsync("wait");
    for (int i = 0; i < 20; i++) {
      assertThat(
              client.clientStream("sum", EchoService.SER, EchoService.DES).call(List.of("1", "1")))
          .isEqualTo("2");
    }
    assertThat(blocked.isDone()).isFalse();
    release.countDown();
    assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo("released");
  }

  @Test
  void userExecutor_runsTheHandlers() {
    ExecutorService mine = Executors.newFixedThreadPool(2, r -> new Thread(r, "my-handlers"));
    try (Server own =
            new Server(
                    ServerOptions.defaults().withExecutor(mine),
                    new ServiceConfig(service()).withHost("127.0.0.1").withPort(0))
                .start();
        Client c =
            new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + own.port() + "/async.Test"))) {
      assertThat(c.unary("unary", EchoService.SER, EchoService.DES).call("u"))
          .endsWith("on my-handlers");
    } finally {
      mine.shutdownNow();
    }
  }
}
