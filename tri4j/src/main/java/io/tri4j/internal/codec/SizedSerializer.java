package io.tri4j.internal.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A serializer that can also write a message straight into a buffer the transport gives it, so a
 * message reaches the socket buffer in one copy instead of being built as an array first. tri4j's
 * own protobuf serializer is one; user serializers go through {@link io.tri4j.Serializer} alone.
 */
public interface SizedSerializer<T> {
  /** The exact number of bytes {@link #writeTo} will write. */
  int serializedSize(T message);

  /** Writes exactly {@link #serializedSize} bytes at {@code target}'s position. */
  void writeTo(T message, ByteBuffer target) throws IOException;

  /**
   * Writes the message into {@code array} from {@code offset} on, where {@code size} (its {@link
   * #serializedSize}) bytes are free, and fails if it wrote fewer.
   */
  default void writeTo(T message, byte[] array, int offset, int size) throws IOException {
    ByteBuffer target = ByteBuffer.wrap(array, offset, size);
    writeTo(message, target);
    OutboundMessage.checkFull(target, size);
  }

  /**
   * Writes exactly {@link #serializedSize} bytes to {@code out} (for large messages, in pieces).
   */
  void writeTo(T message, OutputStream out) throws IOException;
}
