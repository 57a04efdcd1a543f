package io.tri4j.internal.codec;

import io.tri4j.Serializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One message on its way out, in the cheapest form for its size:
 *
 * <ul>
 *   <li>small (under {@link #LARGE}): one array holding the 5-byte prefix and the message, which
 *       the transport sends as it is (a {@link SizedSerializer} writes straight into it);
 *   <li>large, serialized: the message's own array, which the transport sends after a prefix;
 *   <li>large, from a {@link SizedSerializer}: the message itself, written once into the
 *       transport's pooled buffers when the frame is built, never into an array.
 * </ul>
 */
public final class OutboundMessage {
  /**
   * A serializer that does not serialize: {@link #serialize} with it gives a message that holds the
   * object itself ({@link #held()}), for a call whose interceptors take objects, not bytes, and
   * serialize further down.
   */
  public static final Serializer<Object> HELD =
      message -> {
        throw new IllegalStateException("A held message is serialized further down");
      };

  /**
   * Smallest large message. Below it, one array is cheapest: it comes from the writing thread's own
   * allocation buffer, and the copy into the socket's buffer happens on the event loop, whose
   * buffer pool is its own. Above it, copies and large arrays cost more than a shared-pool buffer.
   */
  static final int LARGE = 32 * 1024;

  private final byte[] framed;
  private final byte[] bytes;
  private final Object message;
  private final SizedSerializer<Object> writer;
  private final int size;
  private final boolean compressed;

  private OutboundMessage(
      byte[] framed,
      byte[] bytes,
      Object message,
      SizedSerializer<Object> writer,
      int size,
      boolean compressed) {
    this.framed = framed;
    this.bytes = bytes;
    this.message = message;
    this.writer = writer;
    this.size = size;
    this.compressed = compressed;
  }

  /** Serialized bytes, sent as they are ({@code compressed} says whether they were compressed). */
  public static OutboundMessage of(byte[] bytes, boolean compressed) {
    if (bytes.length < LARGE) {
      return new OutboundMessage(
          MessageFramer.frame(bytes, compressed), null, null, null, bytes.length, compressed);
    }
    return new OutboundMessage(null, bytes, null, null, bytes.length, compressed);
  }

  /**
   * {@code message} through {@code serializer}, then {@code compression} if not null. Without
   * compression, a {@link SizedSerializer} writes a small message straight into its framed array
   * and a large one later, straight into the transport's buffers.
   */
  @SuppressWarnings("unchecked")
  public static <T> OutboundMessage serialize(
      Serializer<T> serializer, T message, Compression compression) throws Exception {
    if (serializer == HELD) {
      return new OutboundMessage(null, null, message, null, 0, compression != null);
    }
    if (compression == null && serializer instanceof SizedSerializer) {
      SizedSerializer<Object> writer = (SizedSerializer<Object>) serializer;
      int size = writer.serializedSize(message);
      if (size >= LARGE) {
        return new OutboundMessage(null, null, message, writer, size, false);
      }
      byte[] framed = new byte[MessageFramer.HEADER_LENGTH + size];
      MessageFramer.writeHeader(framed, 0, size, false);
      writer.writeTo(message, framed, MessageFramer.HEADER_LENGTH, size);
      return new OutboundMessage(framed, null, null, null, size, false);
    }
    byte[] bytes = serializer.serialize(message);
    return compression == null ? of(bytes, false) : of(compression.compress(bytes), true);
  }

  /** Fails if a serializer wrote fewer bytes than it declared into {@code target}. */
  public static void checkFull(ByteBuffer target, int size) {
    if (target.hasRemaining()) {
      throw new IllegalStateException(
          "The serializer wrote fewer bytes than it declared ("
              + (size - target.remaining())
              + " of "
              + size
              + ")");
    }
  }

  /** The object of a message made with {@link #HELD}, not yet serialized; null otherwise. */
  public Object held() {
    return writer == null && framed == null && bytes == null ? message : null;
  }

  /** Bytes on the wire after the 5-byte prefix. */
  public int size() {
    return size;
  }

  public boolean compressed() {
    return compressed;
  }

  /** A small message: the prefix and the message in one array; null for a large one. */
  public byte[] framed() {
    return framed;
  }

  /** A large serialized message: its bytes without the prefix; null otherwise. */
  public byte[] array() {
    return bytes;
  }

  /**
   * Writes the {@link #size()} bytes (no prefix) at {@code target}'s position: for a message its
   * serializer writes, the one kind with neither {@link #framed()} nor {@link #array()}.
   */
  public void writeTo(ByteBuffer target) throws IOException {
    writer.writeTo(message, target);
  }

  /** As {@link #writeTo(ByteBuffer)}, to a stream. */
  public void writeTo(OutputStream out) throws IOException {
    writer.writeTo(message, out);
  }

  /** The message's bytes (no prefix) as an array. */
  public byte[] toByteArray() throws IOException {
    if (framed != null) {
      return Arrays.copyOfRange(framed, MessageFramer.HEADER_LENGTH, framed.length);
    }
    if (bytes != null) {
      return bytes;
    }
    byte[] out = new byte[size];
    ByteBuffer target = ByteBuffer.wrap(out);
    writeTo(target);
    checkFull(target, size);
    return out;
  }
}
