package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.Status;
import io.tri4j.StatusException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ReadyGateTest {

  @Test
  void readyAtOnce_returnsWithoutWaiting() {
    ReadyGate gate = new ReadyGate();
    assertThat(gate.await(() -> true, () -> {})).isTrue();
  }

  /**
   * A writer that finds its stream not ready waits; the other side makes it ready, then signals, at
   * every possible moment against the writer's first wait (the gate's lock is made by the writer
   * then): no wake-up is lost.
   */
  @Test
  void readinessSignalledAroundTheFirstWait_alwaysWakesTheWriter() throws Exception {
    for (int i = 0; i < 2_000; i++) {
      ReadyGate gate = new ReadyGate();
      AtomicBoolean ready = new AtomicBoolean();
      CompletableFuture<Boolean> writer =
          CompletableFuture.supplyAsync(() -> gate.await(ready::get, () -> {}));
      if (i % 2 == 0) {
        Thread.onSpinWait();
      }
      ready.set(true);
      gate.signal();
      assertThat(writer.get(10, TimeUnit.SECONDS)).as("round %d", i).isTrue();
    }
  }

  @Test
  void theCallsEnd_wakesTheWriter_withTheFirstEndOnly() throws Exception {
    for (int i = 0; i < 500; i++) {
      ReadyGate gate = new ReadyGate();
      CompletableFuture<Boolean> writer =
          CompletableFuture.supplyAsync(() -> gate.await(() -> false, () -> {}));
      gate.end(Status.CANCELLED.withDescription("first"));
      gate.end(Status.OK);
      assertThatThrownBy(() -> writer.get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> assertThat(e.getStatus().description()).isEqualTo("first"));
    }
    ReadyGate ok = new ReadyGate();
    ok.end(Status.OK);
    assertThat(ok.await(() -> false, () -> {})).as("after an OK end: no more writing").isFalse();
  }
}
