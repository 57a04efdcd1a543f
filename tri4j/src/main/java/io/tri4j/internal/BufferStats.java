package io.tri4j.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes of messages that tri4j holds in its own buffers at this moment, across every call in the
 * process: received but not yet read by the application (deframer and read-ahead queues), and
 * written by the application but not yet handed to the socket. Flow control is meant to keep this
 * small however fast peers send and however slowly applications read; tests watch it.
 */
public final class BufferStats {
  private static final LongAdder HELD = new LongAdder();

  private BufferStats() {}

  public static void add(long bytes) {
    HELD.add(bytes);
  }

  /** The bytes held now. */
  public static long held() {
    return HELD.sum();
  }
}
