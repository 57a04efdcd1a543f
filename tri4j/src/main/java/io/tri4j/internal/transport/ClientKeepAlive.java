package io.tri4j.internal.transport;

import java.time.Duration;

/**
 * A client connection's keepalive settings, as gRPC names them: a PING after {@code timeNanos} of
 * quiet, the connection closed if nothing arrives {@code timeoutNanos} after it, and whether to
 * ping while no call is open. Part of what tells pooled connections apart.
 */
public record ClientKeepAlive(long timeNanos, long timeoutNanos, boolean withoutCalls) {
  /** gRPC's default keepalive timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  /** No keepalive pings: gRPC's default. */
  public static final ClientKeepAlive OFF = new ClientKeepAlive(Long.MAX_VALUE, 0, false);

  /** Keepalive after {@code time} of quiet; {@code time} null for {@link #OFF}. */
  public static ClientKeepAlive of(Duration time, Duration timeout, boolean withoutCalls) {
    if (time == null) {
      return OFF;
    }
    return new ClientKeepAlive(
        time.toNanos(), (timeout != null ? timeout : DEFAULT_TIMEOUT).toNanos(), withoutCalls);
  }

  boolean enabled() {
    return timeNanos != Long.MAX_VALUE;
  }
}
