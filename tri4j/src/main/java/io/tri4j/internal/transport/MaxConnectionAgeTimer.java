package io.tri4j.internal.transport;

import io.tri4j.internal.call.CallClock;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retires a connection at the server's maximum age (gRPC's maxConnectionAge), give or take 10% so
 * that connections opened together do not all go at once: first gracefully (clients move their new
 * calls to a new connection), then, after the grace time, by cancelling the calls still running.
 * Runs on the event loop.
 */
final class MaxConnectionAgeTimer {
  private final CallClock clock;
  private final long maxAgeNanos;
  private final long graceNanos;
  private final Runnable closeGracefully;
  private final Runnable closeNow;
  private Future<?> timer;
  private boolean stopped;

  MaxConnectionAgeTimer(
      CallClock clock,
      long maxAgeNanos,
      long graceNanos,
      Runnable closeGracefully,
      Runnable closeNow) {
    this.clock = clock;
    this.maxAgeNanos = maxAgeNanos;
    this.graceNanos = graceNanos;
    this.closeGracefully = closeGracefully;
    this.closeNow = closeNow;
  }

  void start() {
    timer = clock.schedule(this::retire, jittered(maxAgeNanos));
  }

  /** {@code nanos} times a random factor from 0.9 to 1.1. */
  static long jittered(long nanos) {
    double factor = 0.9 + 0.2 * ThreadLocalRandom.current().nextDouble();
    return (long) Math.min(Long.MAX_VALUE - 1, nanos * factor);
  }

  void stop() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void retire() {
    if (stopped) {
      return;
    }
    closeGracefully.run();
    if (graceNanos != ServerKeepAlive.NONE) {
      timer = clock.schedule(this::cut, graceNanos);
    }
  }

  private void cut() {
    if (!stopped) {
      stopped = true;
      closeNow.run();
    }
  }
}
