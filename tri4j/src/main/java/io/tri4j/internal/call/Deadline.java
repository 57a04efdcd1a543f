package io.tri4j.internal.call;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A point in time by which a call must end, on a {@link CallClock}. */
public final class Deadline {
  /** A timeout or cap in nanoseconds that means none (timeouts as sent are never negative). */
  public static final long NO_TIMEOUT = -1;

  /** How close to its deadline a call the peer reset counts as having reached it. */
  static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final CallClock clock;
  private final long nanoTime;

  private Deadline(CallClock clock, long nanoTime) {
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  public static Deadline after(long nanos, CallClock clock) {
    return new Deadline(clock, clock.nanoTime() + nanos);
  }

  /**
   * The deadline of a server call whose client asked for {@code timeoutNanos}, capped at the
   * server's {@code maxNanos}; either may be {@link #NO_TIMEOUT}, and null comes back if both are.
   * One object at most, and none for a call with neither.
   */
  public static Deadline capped(long timeoutNanos, long maxNanos, CallClock clock) {
    if (maxNanos == NO_TIMEOUT) {
      return timeoutNanos == NO_TIMEOUT ? null : after(timeoutNanos, clock);
    }
    return after(timeoutNanos == NO_TIMEOUT ? maxNanos : Math.min(timeoutNanos, maxNanos), clock);
  }

  public static Deadline after(Duration timeout, CallClock clock) {
    return after(saturatedNanos(timeout), clock);
  }

  /** Nanoseconds left; zero or less once expired. */
  public long remainingNanos() {
    return nanoTime - clock.nanoTime();
  }

  public boolean isExpired() {
    return remainingNanos() <= 0;
  }

  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, remainingNanos()));
  }

  /**
   * Whether a call that its peer reset now may have ended because of this deadline: the peer's
   * timer may fire a moment before ours.
   */
  boolean isNear() {
    return remainingNanos() < SLACK_NANOS;
  }

  /**
   * Runs {@code task} once the deadline has passed; cancelling the future keeps it from running.
   */
  Future<?> whenExpired(Runnable task) {
    return clock.schedule(task, Math.max(0, remainingNanos()));
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }

  @Override
  public String toString() {
    long ms = TimeUnit.NANOSECONDS.toMillis(remainingNanos());
    return "Deadline[" + ms + " ms left]";
  }
}
