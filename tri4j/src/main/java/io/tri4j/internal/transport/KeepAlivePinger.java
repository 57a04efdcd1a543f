package io.tri4j.internal.transport;

import io.tri4j.internal.call.CallClock;
import java.util.concurrent.Future;

/**
 * An end's own keepalive: a PING once the connection has been quiet for the keepalive time, and the
 * connection closed if nothing at all arrives within the keepalive timeout after it. It finds a
 * peer that vanished without closing the connection (a host gone, a NAT entry dropped, a relay
 * stalled), which TCP alone notices only after many minutes.
 *
 * <p>Anything read counts as a sign of life, not only the PING's ACK: a peer busy sending is alive.
 * Reads only note the time; the one timer reschedules itself when it fires early. All methods run
 * on the channel's event loop, and the clock runs its tasks there.
 */
final class KeepAlivePinger {
  /** The payload of keepalive PINGs ("keep"), so that their ACKs are told from others. */
  static final long PING_DATA = 0x6b656570L;

  /** What the pinger needs of its connection. */
  interface Connection {
    /** Whether calls are open: without them, pings wait unless pings without calls are on. */
    boolean hasCalls();

    /** Writes and flushes a PING with {@code data}. */
    void sendPing(long data);

    /** Nothing came back in time: close the connection, failing its calls. */
    void keepAliveTimedOut();
  }

  private final CallClock clock;
  private final Connection connection;
  private final long timeoutNanos;
  private final boolean withoutCalls;
  private long timeNanos;
  private long lastReadNanos;
  private boolean pingOutstanding;
  private boolean stopped;
  private Future<?> timer;

  KeepAlivePinger(
      CallClock clock,
      Connection connection,
      long timeNanos,
      long timeoutNanos,
      boolean withoutCalls) {
    this.clock = clock;
    this.connection = connection;
    this.timeNanos = timeNanos;
    this.timeoutNanos = timeoutNanos;
    this.withoutCalls = withoutCalls;
  }

  /** The connection is up: the first PING goes after the keepalive time of quiet. */
  void start() {
    lastReadNanos = clock.nanoTime();
    timer = clock.schedule(this::check, timeNanos);
  }

  /** Bytes arrived: the peer is alive. */
  void onDataReceived() {
    lastReadNanos = clock.nanoTime();
    if (pingOutstanding && !stopped) {
      pingOutstanding = false;
      timer.cancel(false);
      timer = clock.schedule(this::check, timeNanos);
    }
  }

  /** The connection closed: no more pings. */
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
    long quiet = clock.nanoTime() - lastReadNanos;
    if (quiet < timeNanos) {
      timer = clock.schedule(this::check, timeNanos - quiet);
    } else if (!withoutCalls && !connection.hasCalls()) {
      timer = clock.schedule(this::check, timeNanos); // idle: no ping until calls come
    } else {
      pingOutstanding = true;
      connection.sendPing(PING_DATA);
      timer = clock.schedule(this::timedOut, timeoutNanos);
    }
  }

  private void timedOut() {
    if (!stopped && pingOutstanding) {
      stopped = true;
      connection.keepAliveTimedOut();
    }
  }
}
