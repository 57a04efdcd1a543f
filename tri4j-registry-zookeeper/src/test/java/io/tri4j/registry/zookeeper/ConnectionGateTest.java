package io.tri4j.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.testing.LogCapture;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gate over a real ZooKeeper that starts after the gate. */
@Timeout(60)
class ConnectionGateTest {
  private TestingServer zookeeper;
  private CuratorFramework client;
  private ConnectionGate gate;
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @BeforeEach
  void gateBeforeZooKeeper() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    zookeeper = new TestingServer(port, false);
    client =
        CuratorFrameworkFactory.newClient(
            zookeeper.getConnectString(), 60_000, 5_000, new RetryOneTime(100));
    gate = new ConnectionGate(client, zookeeper.getConnectString(), 60_000);
    client.start();
  }

  @AfterEach
  void close() throws Exception {
    gate.close();
    client.close();
    zookeeper.close();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within 20 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void runOrWait_runsInOrderOnceZooKeeperAnswers_thenAtOnceOnTheCallersThread() throws Exception {
    gate.runOrWait("a", () -> ran.add("a"));
    gate.runOrWait("b", () -> ran.add("b"));
    assertThat(ran).isEmpty();

    zookeeper.start();
    await(() -> ran.size() == 2, "both ran");
    assertThat(ran).containsExactly("a", "b");

    // The gate opens once nothing waits; a later action may still be queued just before that.
    await(
        () -> {
          Thread caller = Thread.currentThread();
          boolean[] here = new boolean[1];
          gate.runOrWait("c", () -> here[0] = Thread.currentThread() == caller);
          return here[0];
        },
        "runs on the caller's thread");
  }

  @Test
  void withdraw_aWaitingActionNeverRuns() throws Exception {
    gate.runOrWait("a", () -> ran.add("a"));
    gate.runOrWait("b", () -> ran.add("b"));

    assertThat(gate.withdraw("a")).isTrue();
    assertThat(gate.withdraw("a")).as("once").isFalse();

    zookeeper.start();
    await(() -> ran.contains("b"), "b ran");
    assertThat(ran).containsExactly("b");
    assertThat(gate.withdraw("b")).as("ran already").isFalse();
  }

  @Test
  void start_closedBeforeZooKeeperAnswers_neverStarts() throws Exception {
    AutoCloseable early =
        gate.start(
            () -> {
              ran.add("early");
              return () -> ran.add("early closed");
            });
    AutoCloseable late =
        gate.start(
            () -> {
              ran.add("late");
              return () -> ran.add("late closed");
            });
    early.close();

    zookeeper.start();
    await(() -> ran.contains("late"), "late started");
    late.close();
    assertThat(ran).containsExactly("late", "late closed");
  }

  private static List<LogCapture.Event> warnings(LogCapture logs) {
    return logs.events().stream()
        .filter(e -> e.logger().equals(ConnectionGate.class.getName()))
        .toList();
  }

  @Test
  void runOrWait_aFailingActionStaysFirstAndRunsAgainAtTheNextConnection() throws Exception {
    boolean[] failed = new boolean[1];
    gate.runOrWait(
        "flaky",
        () -> {
          if (!failed[0]) {
            failed[0] = true;
            throw new IllegalStateException("refused");
          }
          ran.add("flaky");
        });
    gate.runOrWait("next", () -> ran.add("next"));

    try (LogCapture logs = LogCapture.open()) {
      zookeeper.start();
      await(() -> !warnings(logs).isEmpty(), "a warning");
      assertThat(warnings(logs))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.message())
                    .isEqualTo(
                        "ZooKeeper at "
                            + zookeeper.getConnectString()
                            + " answered, but: refused; trying again once it answers again");
                assertThat(e.throwable()).isNull();
              });
    }
    assertThat(ran).as("nothing overtakes it").isEmpty();

    zookeeper.restart(); // the client reconnects
    await(() -> ran.size() == 2, "both ran");
    assertThat(ran).containsExactly("flaky", "next");
  }
}
