package io.tri4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Client;
import io.tri4j.ClientResources;
import io.tri4j.ReferenceConfig;
import io.tri4j.ResponseStream;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.StatsAccess;
import io.tri4j.StreamingCall;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each server and each client counts the bytes of its own calls, over TCP and in memory alike: two
 * of them never see each other's, even when two clients share a connection.
 */
class TransportStatsTest {
  private static final String SERVICE = "stats.Hold";
  private static final int SIZE = 1000;
  private static final int COUNT = 16;
  private static final long ALL = (long) SIZE * COUNT;

  private static volatile CountDownLatch release = new CountDownLatch(0);
  private static Server serverA;
  private static Server serverB;
  private static ClientResources shared;

  @BeforeAll
  static void start() {
    RpcServiceHandler service =
        new RpcServiceHandler(
            SERVICE,
            Map.of(
                // Holds every request unread until released.
                "sink",
                RpcMethodHandler.<byte[], byte[]>biStream(
                    (requests, responses) -> {
                      release.await();
                      requests.forEach(r -> {});
                    },
                    b -> b,
                    b -> b),
                // Sends COUNT responses, then waits until released.
                "flood",
                RpcMethodHandler.<byte[], byte[]>serverStream(
                    (request, responses) -> {
                      for (int i = 0; i < COUNT; i++) {
                        responses.write(new byte[SIZE]);
                      }
                      release.await();
                    },
                    b -> b,
                    b -> b)));
    serverA = newServer(service, "stats-a");
    serverB = newServer(service, "stats-b");
    shared = ClientResources.create();
  }

  private static Server newServer(RpcServiceHandler service, String inMemoryName) {
    return new Server(
            new ServiceConfig(service).withHost("127.0.0.1").withPort(0),
            new ServiceConfig(service).withInMemoryName(inMemoryName))
        .start();
  }

  @AfterAll
  static void stop() {
    shared.close();
    serverA.close();
    serverB.close();
  }

  @BeforeEach
  void hold() {
    release = new CountDownLatch(1);
  }

  @AfterEach
  void letGo() {
    release.countDown();
  }

  private static ReferenceConfig reference(String transport, Server server, String name) {
    return transport.equals("tcp")
        ? ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + SERVICE)
        : ReferenceConfig.forInMemory(name, SERVICE);
  }

  /** Waits (up to ten seconds) until {@code count} reaches {@code atLeast}; returns it. */
  private static long awaitAtLeast(LongSupplier count, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (count.getAsLong() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return count.getAsLong();
  }

  /** Waits (up to ten seconds) until {@code count} is zero; returns it. */
  private static long awaitZero(LongSupplier count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (count.getAsLong() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return count.getAsLong();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "in-memory"})
  void bytesHeld_requestsAServerHolds_countOnlyForThatServer(String transport) throws Exception {
    TransportStats a = StatsAccess.of(serverA);
    TransportStats b = StatsAccess.of(serverB);
    try (Client client = new Client(reference(transport, serverA, "stats-a"), shared);
        Client idle = new Client(reference(transport, serverB, "stats-b"), shared)) {
      StreamingCall<byte[], byte[]> call =
          client.bidiStream("sink", (byte[] q) -> q, (byte[] r) -> r).call();
      for (int i = 0; i < COUNT; i++) {
        call.write(new byte[SIZE]);
      }

      assertThat(awaitAtLeast(a::bytesHeld, ALL)).isGreaterThanOrEqualTo(ALL);
      assertThat(b.bytesHeld()).isZero();
      assertThat(StatsAccess.of(idle).bytesHeld()).isZero();

      release.countDown();
      call.doneWriting();
      assertThat(call.read()).isNull();
      assertThat(awaitZero(a::bytesHeld)).as("held after the call ended").isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "in-memory"})
  void bytesHeld_responsesAClientHolds_countOnlyForThatClient_onASharedConnection(String transport)
      throws Exception {
    try (Client reader = new Client(reference(transport, serverA, "stats-a"), shared);
        Client other = new Client(reference(transport, serverA, "stats-a"), shared)) {
      TransportStats a = StatsAccess.of(reader);
      ResponseStream<byte[]> responses =
          reader.serverStream("flood", (byte[] b) -> b, (byte[] b) -> b).call(new byte[0]);

      assertThat(awaitAtLeast(a::bytesHeld, ALL)).isGreaterThanOrEqualTo(ALL);
      assertThat(StatsAccess.of(other).bytesHeld()).isZero();
      assertThat(shared.connectionCount()).isEqualTo(1);

      responses.cancel("done");
      assertThat(awaitZero(a::bytesHeld)).as("held after the call was cancelled").isZero();
    }
  }
}
