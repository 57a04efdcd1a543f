package io.tri4j.internal.transport;

import java.time.Duration;

/**
 * A server connection's keepalive and lifetime settings, as gRPC names them, in nanoseconds; {@link
 * #NONE} where a limit is off. The server pings after {@code timeNanos} of quiet and closes the
 * connection if nothing arrives {@code timeoutNanos} after; a client may ping every {@code
 * permitTimeNanos} (also without calls if {@code permitWithoutCalls}); an idle connection closes
 * after {@code maxIdleNanos}, any connection after {@code maxAgeNanos} (±10%), its calls cut {@code
 * maxAgeGraceNanos} later.
 */
public record ServerKeepAlive(
    long timeNanos,
    long timeoutNanos,
    long permitTimeNanos,
    boolean permitWithoutCalls,
    long maxIdleNanos,
    long maxAgeNanos,
    long maxAgeGraceNanos) {
  /** No limit. */
  public static final long NONE = Long.MAX_VALUE;

  /**
   * gRPC's server defaults: a ping after 2 hours of quiet, 20 s for its answer, client pings at
   * most every 5 minutes and only with calls open, no idle or age limit.
   */
  public static final ServerKeepAlive DEFAULTS =
      new ServerKeepAlive(
          Duration.ofHours(2).toNanos(),
          Duration.ofSeconds(20).toNanos(),
          Duration.ofMinutes(5).toNanos(),
          false,
          NONE,
          NONE,
          NONE);

  public ServerKeepAlive withTime(long nanos) {
    return new ServerKeepAlive(
        nanos,
        timeoutNanos,
        permitTimeNanos,
        permitWithoutCalls,
        maxIdleNanos,
        maxAgeNanos,
        maxAgeGraceNanos);
  }

  public ServerKeepAlive withTimeout(long nanos) {
    return new ServerKeepAlive(
        timeNanos,
        nanos,
        permitTimeNanos,
        permitWithoutCalls,
        maxIdleNanos,
        maxAgeNanos,
        maxAgeGraceNanos);
  }

  public ServerKeepAlive withPermitTime(long nanos) {
    return new ServerKeepAlive(
        timeNanos,
        timeoutNanos,
        nanos,
        permitWithoutCalls,
        maxIdleNanos,
        maxAgeNanos,
        maxAgeGraceNanos);
  }

  public ServerKeepAlive withPermitWithoutCalls(boolean permit) {
    return new ServerKeepAlive(
        timeNanos,
        timeoutNanos,
        permitTimeNanos,
        permit,
        maxIdleNanos,
        maxAgeNanos,
        maxAgeGraceNanos);
  }

  public ServerKeepAlive withMaxIdle(long nanos) {
    return new ServerKeepAlive(
        timeNanos,
        timeoutNanos,
        permitTimeNanos,
        permitWithoutCalls,
        nanos,
        maxAgeNanos,
        maxAgeGraceNanos);
  }

  public ServerKeepAlive withMaxAge(long nanos) {
    return new ServerKeepAlive(
        timeNanos,
        timeoutNanos,
        permitTimeNanos,
        permitWithoutCalls,
        maxIdleNanos,
        nanos,
        maxAgeGraceNanos);
  }

  public ServerKeepAlive withMaxAgeGrace(long nanos) {
    return new ServerKeepAlive(
        timeNanos,
        timeoutNanos,
        permitTimeNanos,
        permitWithoutCalls,
        maxIdleNanos,
        maxAgeNanos,
        nanos);
  }
}
