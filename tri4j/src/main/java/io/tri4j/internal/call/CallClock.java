package io.tri4j.internal.call;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The time deadlines are read on, and where the tasks that enforce them wait: {@link
 * System#nanoTime()} and the network threads in production, a clock a test moves by hand in tests.
 */
public interface CallClock {

  /** Now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Runs {@code task} once {@code delayNanos} have passed on this clock, on a thread of the clock's
   * choosing; cancelling the returned future keeps it from running.
   */
  Future<?> schedule(Runnable task, long delayNanos);

  /**
   * The system clock, running tasks on the executor {@code scheduler} gives at the time (a call's
   * network threads: no thread of its own).
   */
  static CallClock system(Supplier<? extends ScheduledExecutorService> scheduler) {
    return new CallClock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Future<?> schedule(Runnable task, long delayNanos) {
        return scheduler.get().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      }
    };
  }
}
