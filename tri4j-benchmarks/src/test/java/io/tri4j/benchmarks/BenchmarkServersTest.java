package io.tri4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.Messages;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.netty.buffer.Unpooled;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.ResponseStream;
import io.tri4j.Server;
import io.tri4j.ServerStreamCallable;
import io.tri4j.StreamingCall;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The load runs' servers answer BenchmarkService correctly (tri4j's client checks each response),
 * and the server-streaming clients count what they receive.
 */
class BenchmarkServersTest {
  private static SimpleRequest request(int responseSize) {
    return Utils.makeRequest(Messages.PayloadType.COMPRESSABLE, 7, responseSize);
  }

  /** One unary call and a three-message ping-pong, each response of the requested size. */
  private static void assertAnswers(int port, int responseSize) throws Exception {
    try (Client client =
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + port + "/" + BenchmarkService.NAME)
                .withMaxInboundMessageSize(8 * 1024 * 1024))) {
      SimpleResponse unary =
          client
              .unary("UnaryCall", SimpleRequest::toByteArray, SimpleResponse::parseFrom)
              .call(request(responseSize));
      assertThat(unary.getPayload().getBody().size()).isEqualTo(responseSize);

      StreamingCall<SimpleRequest, SimpleResponse> pingPong =
          client
              .bidiStream("StreamingCall", SimpleRequest::toByteArray, SimpleResponse::parseFrom)
              .call();
      for (int i = 1; i <= 3; i++) {
        pingPong.write(request(i * 10));
        SimpleResponse response = pingPong.read(Duration.ofSeconds(5)).message();
        assertThat(response.getPayload().getBody().size()).isEqualTo(i * 10);
      }
      pingPong.doneWriting();
      assertThat(pingPong.read(Duration.ofSeconds(5)).isEndOfStream()).isTrue();
    }
  }

  @Test
  void nettyCeiling_answersUnaryAndPingPong_includingOneMebibyte() throws Exception {
    try (NettyCeilingServer.Running ceiling = NettyCeilingServer.start(0)) {
      assertAnswers(ceiling.port(), 0);
      assertAnswers(ceiling.port(), 100);
      assertAnswers(ceiling.port(), 1024 * 1024);
    }
  }

  /** Starts a server on a port; closing stops it. */
  private interface Starter {
    AutoCloseable start(int port) throws Exception;
  }

  /** The server {@code starter} starts answers unary and ping-pong, small and 1 MiB. */
  private static void assertServerAnswers(Starter starter) throws Exception {
    int port = freePort();
    AutoCloseable server = starter.start(port);
    try {
      assertAnswers(port, 0);
      assertAnswers(port, 1024 * 1024);
    } finally {
      server.close();
    }
  }

  @Test
  void tri4jDefaultServer_answersUnaryAndPingPong() throws Exception {
    assertServerAnswers(
        port ->
            BenchmarkServer.start(Map.of("port", Integer.toString(port), "handlers", "blocking")));
  }

  /**
   * The blocking server-streaming handler writes until the client cancels (blocked in write by flow
   * control meanwhile), then returns: the server serves the next call, and a graceful shutdown ends
   * well within its 30-second grace period.
   */
  @Test
  void tri4jDefaultServer_streamsFromServerUntilTheClientCancels() throws Exception {
    Server server = BenchmarkServer.start(Map.of("port", "0", "handlers", "blocking"));
    try (Client client =
        new Client(
            ReferenceConfig.fromUrl(
                "tri://127.0.0.1:"
                    + server.addresses().get(0).getPort()
                    + "/"
                    + BenchmarkService.NAME))) {
      ServerStreamCallable<SimpleRequest, SimpleResponse> streamingFromServer =
          client.serverStream(
              "StreamingFromServer", SimpleRequest::toByteArray, SimpleResponse::parseFrom);
      for (int stream = 0; stream < 2; stream++) {
        try (ResponseStream<SimpleResponse> responses =
            streamingFromServer.call(request(64 * 1024))) {
          // 2.5 MiB, more than a stream's flow-control window: the handler waits in write between.
          for (int i = 0; i < 40; i++) {
            SimpleResponse response = responses.read(Duration.ofSeconds(5)).message();
            assertThat(response.getPayload().getBody().size()).isEqualTo(64 * 1024);
          }
        } // close() cancels the call
      }
    } finally {
      server.shutdown();
      assertThat(server.awaitTermination(Duration.ofSeconds(10)))
          .as("terminated: the handlers returned when their clients cancelled")
          .isTrue();
    }
  }

  @Test
  void dubboServer_answersUnaryAndPingPong() throws Exception {
    assertServerAnswers(DubboBenchmarkServer::start);
  }

  @Test
  void vertxServer_answersUnaryAndPingPong() throws Exception {
    assertServerAnswers(VertxBenchmarkServer::start);
  }

  /**
   * With its defaults only: with {@code unsafeWrapRequestBuffers}, Armeria leaves request buffers
   * to the application, which grpc-java's service never releases, and the leak check fails.
   */
  @Test
  void armeriaServer_answersUnaryAndPingPong() throws Exception {
    assertServerAnswers(port -> ArmeriaBenchmarkServer.start(port, false));
  }

  @ParameterizedTest
  @EnumSource(BenchmarkServer.Handlers.class)
  void h2load_againstTri4jServer_allRequestsSucceed(BenchmarkServer.Handlers handlers)
      throws Exception {
    assumeTrue(H2Load.PROGRAM.installed(), H2Load.PROGRAM::installHint);
    withTri4jServer(
        handlers,
        address -> {
          int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
          assertThat(h2load(port)).isPositive();
        });
  }

  @Test
  void h2load_againstNghttpd_allRequestsSucceed() throws Exception {
    assumeTrue(H2Load.PROGRAM.installed(), H2Load.PROGRAM::installHint);
    assumeTrue(Nghttpd.PROGRAM.installed(), Nghttpd.PROGRAM::installHint);
    int port = freePort();
    Process nghttpd =
        new ProcessBuilder(Nghttpd.args(port, Nghttpd.responseDirectory()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      Runner.awaitPort(port);
      assertThat(h2load(port)).isPositive();
    } finally {
      nghttpd.destroy();
      assertThat(nghttpd.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** A one-second h2load run of unary 2×4 against {@code port}: its requests per second. */
  private static long h2load(int port) throws Exception {
    Process h2load =
        new ProcessBuilder(
                H2Load.args(
                    new Runner.Case("unary_2x4", 2, 4, Runner.Kind.UNARY, 0),
                    port,
                    1,
                    0,
                    H2Load.requestFile(0)))
            .redirectErrorStream(true)
            .start();
    String output = new String(h2load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(h2load.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return H2Load.qps(output);
  }

  @Test
  void ceilingCall_readsResponseSizeAndCountsMessagesAcrossSplitFrames() {
    byte[] message = request(300).toByteArray();
    byte[] framed = new byte[2 * (5 + message.length)];
    for (int m = 0; m < 2; m++) {
      int at = m * (5 + message.length);
      framed[at + 4] = (byte) message.length; // length < 256: the low byte only
      System.arraycopy(message, 0, framed, at + 5, message.length);
    }
    NettyCeilingServer.Call call = new NettyCeilingServer.Call(true);
    int completed = 0;
    for (int at = 0; at < framed.length; at += 3) {
      int n = Math.min(3, framed.length - at);
      completed += call.consume(Unpooled.wrappedBuffer(framed, at, n));
      if (completed == 1 && at < 5 + message.length) {
        assertThat(call.responseSize()).isEqualTo(300);
      }
    }
    assertThat(completed).isEqualTo(2);
    assertThat(call.responseSize()).isEqualTo(300);
  }

  @ParameterizedTest
  @EnumSource(BenchmarkServer.Handlers.class)
  void serverStreamClients_countMessagesFromTri4jServer(BenchmarkServer.Handlers handlers)
      throws Exception {
    withTri4jServer(
        handlers,
        address -> {
          long grpc =
              GrpcServerStreamClient.run(
                  Map.of(
                      "address",
                      address,
                      "outstanding_rpcs",
                      "2",
                      "warmup_duration",
                      "0",
                      "duration",
                      "1"));
          assertThat(grpc).isPositive();
          long tri4j =
              new LoadClient(
                      Map.of(
                          "address",
                          address,
                          "outstanding_rpcs",
                          "2",
                          "server_streaming",
                          "true",
                          "warmup_duration",
                          "0",
                          "duration",
                          "1"))
                  .runServerStreaming();
          assertThat(tri4j).isPositive();
        });
  }

  @Test
  void blockingLoadClients_tri4jAndGrpcJavaStubs_completeCalls() throws Exception {
    withTri4jServer(
        BenchmarkServer.Handlers.ASYNC,
        address -> {
          for (String api : List.of("blocking", "grpc_blocking")) {
            long qps =
                new LoadClient(
                        Map.of(
                            "address",
                            address,
                            "channels",
                            "2",
                            "outstanding_rpcs",
                            "2",
                            api,
                            "true",
                            "warmup_duration",
                            "0",
                            "duration",
                            "1"))
                    .run();
            assertThat(qps).as(api).isPositive();
          }
        });
  }

  /** What a test does with the address of a running tri4j benchmark server. */
  private interface AddressTest {
    void run(String address) throws Exception;
  }

  /** Runs {@code test} against {@code benchmark-server --handlers (handlers)}, any free port. */
  private static void withTri4jServer(BenchmarkServer.Handlers handlers, AddressTest test)
      throws Exception {
    Server server =
        BenchmarkServer.start(
            Map.of("port", "0", "handlers", handlers.name().toLowerCase(Locale.ROOT)));
    try {
      test.run("127.0.0.1:" + server.addresses().get(0).getPort());
    } finally {
      server.shutdownNow();
      assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
