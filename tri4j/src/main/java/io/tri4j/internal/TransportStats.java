package io.tri4j.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one server's or one client's transport is doing, counted as it happens: each {@code Server}
 * and each {@code Client} has its own, which its connections, streams and calls add to. Counters
 * are cheap to add to from any thread and summed only when read; a metrics integration reads them.
 */
public final class TransportStats {
  private final LongAdder bytesHeld = new LongAdder();

  /**
   * Bytes of messages held in tri4j's own buffers now: received but not yet read by the application
   * (deframers and read-ahead queues), and written by the application but not yet handed to the
   * socket. Flow control is meant to keep this small however fast peers send and however slowly
   * applications read.
   */
  public long bytesHeld() {
    return bytesHeld.sum();
  }

  /** Counts {@code bytes} more held (fewer if negative). */
  public void addBytesHeld(long bytes) {
    bytesHeld.add(bytes);
  }
}
