package io.tri4j.internal.transport;

import io.tri4j.internal.call.CallClock;
import java.util.concurrent.TimeUnit;

/**
 * The server's policy on client PINGs, as gRPC's: a PING sooner than the permitted interval after
 * the last acceptable one is a strike, and the third strike in a row ends the connection ({@code
 * too_many_pings}). Without calls open, pings are permitted only if the server says so (else once
 * in two hours). The server sending headers or data forgives the strikes, since a client may ping
 * to learn whether a slow response is coming. PING ACKs are never counted. Runs on the event loop.
 */
final class KeepAliveEnforcer {
  /** Strikes forgiven; one more ends the connection. */
  static final int MAX_PING_STRIKES = 2;

  /**
   * How often a client may ping without calls when the server does not permit it: never, nearly.
   */
  static final long IMPLICIT_PERMIT_TIME_NANOS = TimeUnit.HOURS.toNanos(2);

  private final CallClock clock;
  private final long permitTimeNanos;
  private final boolean permitWithoutCalls;
  private boolean hasValidPing;
  private long lastValidPingNanos;
  private int strikes;

  KeepAliveEnforcer(CallClock clock, long permitTimeNanos, boolean permitWithoutCalls) {
    this.clock = clock;
    this.permitTimeNanos = permitTimeNanos;
    this.permitWithoutCalls = permitWithoutCalls;
  }

  /** A client PING arrived: whether the connection may go on. */
  boolean pingAcceptable(boolean hasCalls) {
    long now = clock.nanoTime();
    long interval = hasCalls || permitWithoutCalls ? permitTimeNanos : IMPLICIT_PERMIT_TIME_NANOS;
    if (!hasValidPing || now - lastValidPingNanos >= interval) {
      hasValidPing = true;
      lastValidPingNanos = now;
      return true;
    }
    return ++strikes <= MAX_PING_STRIKES;
  }

  /** The server sent headers or data: the next PING is welcome, and past strikes are forgiven. */
  void resetCounters() {
    hasValidPing = false;
    strikes = 0;
  }
}
