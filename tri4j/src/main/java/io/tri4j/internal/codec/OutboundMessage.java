package io.tri4j.internal.codec;

import io.tri4j.Serializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One message on its way out: either its bytes (serialized, perhaps compressed), or a message and
 * the {@link SizedSerializer} that writes it into the transport's buffer when the frame is built.
 */
public final class OutboundMessage {
  /**
   * Smallest message written straight into the transport's buffer. Below it an array is cheaper: it
   * comes from the writing thread's own allocation buffer, and the copy into the socket's buffer
   * happens on the event loop, whose buffer pool is its own; above it the copy and a large array
   * cost more than a shared-pool allocation.
   */
  static final int DIRECT_WRITE_MIN_SIZE = 32 * 1024;

  private final byte[] bytes;
  private final Object message;
  private final SizedSerializer<Object> writer;
  private final int size;
  private final boolean compressed;

  private OutboundMessage(
      byte[] bytes, Object message, SizedSerializer<Object> writer, int size, boolean compressed) {
    this.bytes = bytes;
    this.message = message;
    this.writer = writer;
    this.size = size;
    this.compressed = compressed;
  }

  /** Serialized bytes, sent as they are ({@code compressed} says whether they were compressed). */
  public static OutboundMessage of(byte[] bytes, boolean compressed) {
    return new OutboundMessage(bytes, null, null, bytes.length, compressed);
  }

  /**
   * {@code message} through {@code serializer}, then {@code compression} if not null. Without
   * compression, a {@link SizedSerializer} is kept for the transport to write directly when the
   * message is at least {@link #DIRECT_WRITE_MIN_SIZE} bytes.
   */
  @SuppressWarnings("unchecked")
  public static <T> OutboundMessage serialize(
      Serializer<T> serializer, T message, Compression compression) throws Exception {
    if (compression == null && serializer instanceof SizedSerializer) {
      SizedSerializer<Object> writer = (SizedSerializer<Object>) serializer;
      int size = writer.serializedSize(message);
      if (size >= DIRECT_WRITE_MIN_SIZE) {
        return new OutboundMessage(null, message, writer, size, false);
      }
    }
    byte[] bytes = serializer.serialize(message);
    return compression == null ? of(bytes, false) : of(compression.compress(bytes), true);
  }

  /** Bytes on the wire after the 5-byte prefix. */
  public int size() {
    return size;
  }

  public boolean compressed() {
    return compressed;
  }

  /** The serialized bytes, or null if the message is written by its serializer. */
  public byte[] array() {
    return bytes;
  }

  /** Writes the {@link #size()} bytes at {@code target}'s position. */
  public void writeTo(ByteBuffer target) throws IOException {
    if (bytes != null) {
      target.put(bytes);
    } else {
      writer.writeTo(message, target);
    }
  }

  /** Writes the {@link #size()} bytes to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    if (bytes != null) {
      out.write(bytes);
    } else {
      writer.writeTo(message, out);
    }
  }

  /** The bytes as an array (a new one if the message is written by its serializer). */
  public byte[] toByteArray() throws IOException {
    if (bytes != null) {
      return bytes;
    }
    byte[] out = new byte[size];
    writeTo(ByteBuffer.wrap(out));
    return out;
  }
}
