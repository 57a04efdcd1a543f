package io.tri4j;

import static io.tri4j.StatusAssertions.assertFailsWithStatus;
import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inbound size limit applies to a message once decompressed, on client and server, with the
 * blocking and the async API alike: a small compressed message that inflates past the limit ends
 * its call with RESOURCE_EXHAUSTED, and the connection goes on serving. Messages are inflated by
 * the thread that reads them, never by a network thread.
 */
@Timeout(30)
class DecompressionLimitTest {
  private static final int LIMIT = 1000;

  /** 100,000 characters that gzip shrinks to far below {@link #LIMIT}. */
  private static final String INFLATES_PAST_THE_LIMIT = "z".repeat(100_000);

  /** The threads that decompressed and parsed a message (both happen in one step). */
  private static final Set<String> decodingThreads = ConcurrentHashMap.newKeySet();

  private static final Deserializer<String> RECORDING =
      bytes -> {
        decodingThreads.add(Thread.currentThread().getName());
        return EchoService.DES.deserialize(bytes);
      };

  private static Server server;
  private static Client client;

  @BeforeAll
  static void start() {
    RpcServiceHandler service =
        new RpcServiceHandler(
            "limits.Svc",
            Map.of(
                "length",
                RpcMethodHandler.unary(r -> "length=" + r.length(), RECORDING, EchoService.SER),
                "lengthAsync",
                RpcMethodHandler.unaryAsync(
                    (String r, ResponseObserver<String> out) -> {
                      out.onNext("length=" + r.length());
                      out.onCompleted();
                    },
                    RECORDING,
                    EchoService.SER),
                "zeds",
                RpcMethodHandler.unary(
                    (String n) -> {
                      ServerContext.current().setCompression("gzip");
                      return "z".repeat(Integer.parseInt(n));
                    },
                    RECORDING,
                    EchoService.SER)));
    server =
        new Server(
                ServerOptions.defaults().withMaxInboundMessageSize(LIMIT),
                new ServiceConfig(service).withHost("127.0.0.1").withPort(0))
            .start();
    client =
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/limits.Svc")
                .withMaxInboundMessageSize(LIMIT));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    client.close();
    server.shutdown();
    assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  private static UnaryCallable<String, String> method(String name) {
    return client.unary(name, EchoService.SER, RECORDING);
  }

  /** Every network thread's name has "netty" in it (tri4j-client-netty, tri4j-server-netty). */
  private static void assertDecodedOffTheNetworkThreads() {
    assertThat(decodingThreads).isNotEmpty().noneMatch(name -> name.contains("netty"));
  }

  @Test
  void blockingClient_responseInflatingPastTheLimit_isResourceExhausted() {
    assertStatus(
        () -> method("zeds").call("100000"),
        Status.Code.RESOURCE_EXHAUSTED,
        "larger than the limit of " + LIMIT);
    decodingThreads.clear();
    assertThat(method("zeds").call("900")).hasSize(900);
    assertDecodedOffTheNetworkThreads();
  }

  @Test
  void asyncClient_responseInflatingPastTheLimit_isResourceExhausted() throws Exception {
    assertFailsWithStatus(
        method("zeds").callAsync("100000"), Status.Code.RESOURCE_EXHAUSTED, "limit of " + LIMIT);
    decodingThreads.clear();
    assertThat(method("zeds").callAsync("900").get(10, TimeUnit.SECONDS)).hasSize(900);
    assertDecodedOffTheNetworkThreads();
  }

  /** {@code length} has a blocking handler, {@code lengthAsync} an async one. */
  @ParameterizedTest
  @ValueSource(strings = {"length", "lengthAsync"})
  void handler_requestInflatingPastTheLimit_isResourceExhausted(String handler) {
    CallOptions gzip = CallOptions.DEFAULT.withCompression("gzip");
    assertStatus(
        () -> method(handler).call(INFLATES_PAST_THE_LIMIT, gzip),
        Status.Code.RESOURCE_EXHAUSTED,
        "larger than the limit of " + LIMIT);
    decodingThreads.clear();
    assertThat(method(handler).call("z".repeat(900), gzip)).isEqualTo("length=900");
    assertDecodedOffTheNetworkThreads();
  }
}
