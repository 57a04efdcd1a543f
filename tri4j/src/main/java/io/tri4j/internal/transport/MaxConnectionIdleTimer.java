package io.tri4j.internal.transport;

import io.tri4j.internal.call.CallClock;
import java.util.concurrent.Future;

/**
 * Closes a connection that has carried no call for the server's maximum idle time (gRPC's
 * maxConnectionIdle), gracefully: a client with nothing to say need not hold the server's memory.
 * Streams only note the time they leave the connection idle; the one timer reschedules itself. Runs
 * on the event loop.
 */
final class MaxConnectionIdleTimer {
  private final CallClock clock;
  private final long maxIdleNanos;
  private final Runnable closeGracefully;
  private boolean idle = true;
  private long idleSinceNanos;
  private boolean stopped;
  private Future<?> timer;

  MaxConnectionIdleTimer(CallClock clock, long maxIdleNanos, Runnable closeGracefully) {
    this.clock = clock;
    this.maxIdleNanos = maxIdleNanos;
    this.closeGracefully = closeGracefully;
  }

  void start() {
    idleSinceNanos = clock.nanoTime();
    timer = clock.schedule(this::check, maxIdleNanos);
  }

  /** The first call of a busy spell opened. */
  void onActive() {
    idle = false;
  }

  /** The last call closed. */
  void onIdle() {
    idle = true;
    idleSinceNanos = clock.nanoTime();
  }

  void stop() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void check() {
    if (stopped) {
      return;
    }
    long idleFor = idle ? clock.nanoTime() - idleSinceNanos : 0;
    if (idleFor >= maxIdleNanos) {
      stopped = true;
      closeGracefully.run();
    } else {
      timer = clock.schedule(this::check, maxIdleNanos - idleFor);
    }
  }
}
