package io.tri4j.internal.call;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A point in time by which a call must end, on the {@link System#nanoTime()} clock. */
public final class Deadline {
  private final long nanoTime;

  private Deadline(long nanoTime) {
    this.nanoTime = nanoTime;
  }

  public static Deadline after(long nanos) {
    return new Deadline(System.nanoTime() + nanos);
  }

  public static Deadline after(Duration timeout) {
    return after(saturatedNanos(timeout));
  }

  /** Nanoseconds left; zero or less once expired. */
  public long remainingNanos() {
    return nanoTime - System.nanoTime();
  }

  public boolean isExpired() {
    return remainingNanos() <= 0;
  }

  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, remainingNanos()));
  }

  /** The earlier of the two; {@code null} stands for no deadline. */
  public static Deadline earliest(Deadline a, Deadline b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.nanoTime - b.nanoTime <= 0 ? a : b;
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
