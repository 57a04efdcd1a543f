package io.tri4j.internal.codec;

import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Cuts a stream of bytes (the DATA of one HTTP/2 stream) into gRPC messages, and hands them out
 * only as they are {@linkplain #request requested}.
 *
 * <p>Bytes are processed, and reported through {@link Listener#bytesProcessed} so that the
 * transport can return flow-control credit, only while a message is wanted. Bytes that arrive when
 * no message is wanted are kept until one is; the peer's flow-control window bounds them. So a slow
 * reader holds the peer back instead of filling memory.
 *
 * <p>Not thread-safe: the transport calls it from one thread (the connection's event loop).
 */
public final class MessageDeframer {

  /** Receives what the deframer finds, on the deframer's thread. */
  public interface Listener {
    /**
     * One whole message, as requested. A compressed message is handed on as it came; its reader
     * decompresses it ({@link WireMessage#bytes()}), off this thread.
     */
    void messageRead(WireMessage message);

    /** {@code count} bytes of input have been used (or dropped) and may be credited back. */
    void bytesProcessed(int count);

    /** The input ended ({@link #closeWhenComplete()}) and every message has been handed out. */
    void endOfStream();

    /** The input is not a valid message sequence; nothing more is delivered. */
    void deframeFailed(Status status);
  }

  private final Listener listener;
  private final int maxMessageSize;
  private final TransportStats stats;
  private Compression decompression;

  /**
   * Copies of bytes that arrived while no message was wanted; made when the first are kept, as most
   * calls read each frame as it comes.
   */
  private ArrayDeque<ByteBuffer> pending;

  /** The current message's prefix as read so far, a byte at a time (five bytes fit a long). */
  private long header;

  private int headerRead;

  /** The flags byte of the current message's prefix, once read whole. */
  private int flags;

  /**
   * The current message's bytes as read so far, once its prefix is read: made and grown with the
   * bytes that arrive (to at most {@value #GROWTH} times as many, and {@link #FIRST_PIECE}), up to
   * {@link #bodyLength}, not made at the length the prefix declares. A prefix costs its sender five
   * bytes; an array of the length it names, made at once, would let a client hold the limit's worth
   * of memory on every stream it opens without sending it. Growing eightfold keeps the copies of a
   * large message that comes frame by frame to a small part of its length.
   */
  private byte[] body;

  private int bodyLength;
  private int bodyRead;

  /** What a message whose bytes come in pieces may start with before they come. */
  static final int FIRST_PIECE = 8 * 1024;

  /** How many times the bytes of a message that have come its array may hold. */
  static final int GROWTH = 8;

  private long requested;
  private boolean endOfInput;
  private boolean closed;
  private boolean delivering;

  /** {@code stats} counts the bytes it holds. */
  public MessageDeframer(Listener listener, int maxMessageSize, TransportStats stats) {
    this.listener = listener;
    this.maxMessageSize = maxMessageSize;
    this.stats = stats;
  }

  /**
   * The encoding of compressed messages ({@code grpc-encoding}); null for none, and then a
   * compressed message is an error.
   */
  public void setDecompression(Compression decompression) {
    this.decompression = decompression;
  }

  /** Asks for {@code n} more messages; they are delivered as soon as their bytes are here. */
  public void request(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive: " + n);
    }
    requested += n;
    deliver(null);
  }

  /**
   * Takes the bytes remaining in {@code data}; the buffer is not kept, so the caller may release it
   * afterwards.
   */
  public void deframe(ByteBuffer data) {
    if (closed || endOfInput) {
      // After close or end of input, bytes are dropped but still credited back.
      int n = data.remaining();
      data.position(data.limit());
      if (n > 0) {
        listener.bytesProcessed(n);
      }
      return;
    }
    deliver(data);
  }

  /** No more input follows: once the buffered messages are delivered, report end of stream. */
  public void closeWhenComplete() {
    if (closed) {
      return;
    }
    endOfInput = true;
    deliver(null);
  }

  /**
   * Drops everything buffered and delivers nothing more. Buffered bytes are reported as processed,
   * so their flow-control credit goes back to the peer.
   */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    int buffered = pendingBytes();
    stats.addBytesHeld(-buffered - (body == null ? 0 : body.length));
    if (pending != null) {
      pending.clear(); // kept: a failure read from it closes while deliver() still uses it
    }
    body = null;
    if (buffered > 0) {
      listener.bytesProcessed(buffered);
    }
  }

  /** Bytes received but not yet processed. */
  public int pendingBytes() {
    int n = 0;
    if (pending != null) {
      for (ByteBuffer b : pending) {
        n += b.remaining();
      }
    }
    return n;
  }

  private void deliver(ByteBuffer incoming) {
    if (delivering) {
      // Re-entered from a listener callback (request() inside messageRead): the outer loop
      // sees the new demand and carries on.
      if (incoming != null) {
        throw new IllegalStateException("deframe() called from a listener callback");
      }
      return;
    }
    delivering = true;
    try {
      while (!closed && requested > 0) {
        ByteBuffer src = pending == null ? null : pending.peek();
        if (src == null) {
          if (incoming == null || !incoming.hasRemaining()) {
            break;
          }
          src = incoming;
        }
        int before = src.remaining();
        byte[] message = readMessage(src);
        int used = before - src.remaining();
        if (src != incoming) {
          stats.addBytesHeld(-used);
          if (!src.hasRemaining()) {
            pending.poll();
          }
        }
        if (used > 0) {
          listener.bytesProcessed(used);
        }
        if (closed) {
          dropRest(incoming);
          return;
        }
        if (message != null) {
          stats.addBytesHeld(-message.length); // handed on, no longer held here
          boolean wasCompressed = (flags & MessageFramer.COMPRESSED_FLAG) != 0;
          requested--;
          listener.messageRead(
              wasCompressed
                  ? WireMessage.compressed(message, decompression, maxMessageSize)
                  : WireMessage.plain(message));
        }
      }
      if (!closed && incoming != null && incoming.hasRemaining()) {
        if (pending == null) {
          pending = new ArrayDeque<>(2);
        }
        pending.add(copy(incoming));
      }
      if (!closed && endOfInput && (pending == null || pending.isEmpty())) {
        // Every byte that will ever arrive has been handed out.
        finish();
      }
    } finally {
      delivering = false;
    }
  }

  /** Credits the bytes of {@code incoming} that will never be read. */
  private void dropRest(ByteBuffer incoming) {
    if (incoming != null && incoming.hasRemaining()) {
      int n = incoming.remaining();
      incoming.position(incoming.limit());
      listener.bytesProcessed(n);
    }
  }

  private void finish() {
    closed = true;
    if (headerRead != 0 || body != null) {
      if (body != null) {
        stats.addBytesHeld(-body.length); // close() does nothing once closed
        body = null;
      }
      listener.deframeFailed(
          Status.INTERNAL.withDescription("Stream ended in the middle of a gRPC message"));
    } else {
      listener.endOfStream();
    }
  }

  /** Reads from {@code src} into the current message; returns it when complete. */
  private byte[] readMessage(ByteBuffer src) {
    if (body == null) {
      while (headerRead < MessageFramer.HEADER_LENGTH && src.hasRemaining()) {
        header = header << 8 | (src.get() & 0xff);
        headerRead++;
      }
      if (headerRead < MessageFramer.HEADER_LENGTH) {
        return null;
      }
      flags = (int) (header >>> 32) & 0xff;
      long length = header & 0xffffffffL;
      header = 0;
      if ((flags & ~MessageFramer.COMPRESSED_FLAG) != 0) {
        fail(Status.INTERNAL.withDescription("gRPC message has reserved flag bits set"));
        return null;
      }
      if ((flags & MessageFramer.COMPRESSED_FLAG) != 0 && decompression == null) {
        fail(
            Status.INTERNAL.withDescription(
                "Compressed gRPC message received, but the call has no grpc-encoding"));
        return null;
      }
      if (length > maxMessageSize) {
        fail(
            Status.RESOURCE_EXHAUSTED.withDescription(
                "gRPC message of "
                    + length
                    + " bytes is larger than the limit of "
                    + maxMessageSize
                    + " bytes"));
        return null;
      }
      bodyLength = (int) length;
      bodyRead = 0;
      // Whole when the message is here in full, as it mostly is.
      body = new byte[capacity(src.remaining())];
      stats.addBytesHeld(body.length);
    }
    int n = Math.min(src.remaining(), bodyLength - bodyRead);
    if (bodyRead + n > body.length) {
      grow(bodyRead + n);
    }
    src.get(body, bodyRead, n);
    bodyRead += n;
    if (bodyRead < bodyLength) {
      return null;
    }
    byte[] message = body; // grown to bodyLength exactly by now
    body = null;
    headerRead = 0; // flags are kept until the next message's prefix is read
    return message;
  }

  /** The array for a message of which {@code arrived} bytes have come (or are here). */
  private int capacity(int arrived) {
    return (int) Math.min(bodyLength, Math.max(GROWTH * (long) arrived, FIRST_PIECE));
  }

  /** Grows {@link #body} to hold {@code needed} bytes (more than it holds) and room to come. */
  private void grow(int needed) {
    byte[] grown = new byte[capacity(needed)];
    System.arraycopy(body, 0, grown, 0, bodyRead);
    stats.addBytesHeld(grown.length - body.length);
    body = grown;
  }

  private void fail(Status status) {
    close();
    listener.deframeFailed(status);
  }

  private ByteBuffer copy(ByteBuffer src) {
    stats.addBytesHeld(src.remaining());
    ByteBuffer copy = ByteBuffer.allocate(src.remaining());
    copy.put(src).flip();
    return copy;
  }
}
