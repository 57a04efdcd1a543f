package io.tri4j.internal.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * A {@link CallClock} that moves only when a test {@linkplain #advance advances} it, running the
 * tasks that fall due on the test's thread: deadline tests with no real-time waits.
 */
public final class FakeClock implements CallClock {
  private long now = 1_000_000_000L;
  private final List<Timer> timers = new ArrayList<>();

  private record Timer(long due, FutureTask<?> task) {}

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Future<?> schedule(Runnable task, long delayNanos) {
    FutureTask<?> future = new FutureTask<>(task, null);
    timers.add(new Timer(now + Math.max(0, delayNanos), future));
    notifyAll();
    return future;
  }

  /** How many tasks wait for their time, not cancelled. */
  public synchronized int pendingTimers() {
    timers.removeIf(t -> t.task().isCancelled());
    return timers.size();
  }

  /**
   * Waits (in real time, for up to 10 s) until exactly {@code n} tasks wait: calls on other threads
   * have started, or ended.
   */
  public synchronized void awaitPendingTimers(int n) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (pendingTimers() != n) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("expected " + n + " timers, have " + pendingTimers());
      }
      wait(5); // a cancelled task says nothing: look again
    }
  }

  /** Moves the clock on by {@code by}, then runs every task now due, in order of their time. */
  public void advance(Duration by) {
    List<Timer> due = new ArrayList<>();
    synchronized (this) {
      now += by.toNanos();
      for (Timer t : timers) {
        if (t.due() <= now) {
          due.add(t);
        }
      }
      timers.removeAll(due);
    }
    due.sort((a, b) -> Long.compare(a.due(), b.due()));
    for (Timer t : due) {
      t.task().run();
    }
  }
}
