package io.tri4j.internal.codec;

/**
 * The gRPC length-prefixed message envelope: one flag byte (bit 0: compressed) followed by the
 * message length as a 4-byte big-endian integer.
 */
public final class MessageFramer {
  /** Bytes in the prefix before each message. */
  public static final int HEADER_LENGTH = 5;

  /** Flag bit set when the message is compressed with the call's {@code grpc-encoding}. */
  public static final int COMPRESSED_FLAG = 1;

  private MessageFramer() {}

  /** Writes the prefix of a message of {@code length} bytes into {@code dst} at {@code offset}. */
  public static void writeHeader(byte[] dst, int offset, int length, boolean compressed) {
    dst[offset] = (byte) (compressed ? COMPRESSED_FLAG : 0);
    dst[offset + 1] = (byte) (length >>> 24);
    dst[offset + 2] = (byte) (length >>> 16);
    dst[offset + 3] = (byte) (length >>> 8);
    dst[offset + 4] = (byte) length;
  }

  /** The message in a fresh array, prefix included. */
  public static byte[] frame(byte[] message) {
    return frame(message, false);
  }

  /** The message in a fresh array, prefix included, flagged compressed or not. */
  public static byte[] frame(byte[] message, boolean compressed) {
    byte[] framed = new byte[HEADER_LENGTH + message.length];
    writeHeader(framed, 0, message.length, compressed);
    System.arraycopy(message, 0, framed, HEADER_LENGTH, message.length);
    return framed;
  }
}
