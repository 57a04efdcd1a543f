package io.tri4j.internal.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A request body that is one bare message, as in Connect's unary calls: collected whole, up to a
 * limit, then framed like a gRPC message so that a {@link MessageDeframer} takes it like any other
 * (decompression, size limit, demand).
 */
public final class UnaryBody {
  private final int maxSize;
  private byte[] bytes = new byte[MessageFramer.HEADER_LENGTH + 64];
  private int length = MessageFramer.HEADER_LENGTH;

  /** A body of at most {@code maxSize} bytes as received (compressed, if it is). */
  public UnaryBody(int maxSize) {
    this.maxSize = maxSize;
  }

  /** A body known whole already (a GET's {@code message} parameter). */
  public static UnaryBody of(byte[] message) {
    UnaryBody body = new UnaryBody(Integer.MAX_VALUE - MessageFramer.HEADER_LENGTH);
    body.add(ByteBuffer.wrap(message));
    return body;
  }

  /**
   * Adds the bytes of {@code data}.
   *
   * @return false if the body has grown past the limit (nothing more is kept)
   */
  public boolean add(ByteBuffer data) {
    int n = data.remaining();
    if (n > maxSize - (length - MessageFramer.HEADER_LENGTH)) {
      bytes = null;
      return false;
    }
    if (length + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(length + n, Math.min(bytes.length * 2, maxSize + 5)));
    }
    data.get(bytes, length, n);
    length += n;
    return true;
  }

  /** The limit, for the error that says the body passed it. */
  public int maxSize() {
    return maxSize;
  }

  /** The body framed as one message, flagged compressed if {@code compressed}. */
  public ByteBuffer framed(boolean compressed) {
    MessageFramer.writeHeader(bytes, 0, length - MessageFramer.HEADER_LENGTH, compressed);
    return ByteBuffer.wrap(bytes, 0, length);
  }
}
