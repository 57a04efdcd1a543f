package io.tri4j.internal.codec;

import java.nio.ByteBuffer;

/**
 * Decodes a {@code grpc-web-text} request body as it arrives: standard base64, where a client may
 * send several padded chunks one after another ({@code "AAAAAAA=" + "gAAAAA=="}), and a chunk may
 * be split anywhere across reads. Decoding works in groups of four characters, so padding may end
 * any group; line breaks are skipped.
 */
public final class Base64Chunks {
  private static final byte[] VALUES = values();

  private final int[] group = new int[4];
  private int inGroup;

  private static byte[] values() {
    byte[] values = new byte[128];
    java.util.Arrays.fill(values, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      values[alphabet.charAt(i)] = (byte) i;
    }
    values['='] = -2;
    return values;
  }

  /**
   * The bytes {@code text} decodes to, with what an earlier read left unfinished; a group still
   * open waits for the next read.
   *
   * @throws IllegalArgumentException if {@code text} is not base64
   */
  public ByteBuffer decode(ByteBuffer text) {
    byte[] out = new byte[(inGroup + text.remaining()) / 4 * 3];
    int written = 0;
    while (text.hasRemaining()) {
      int c = text.get() & 0xff;
      if (c == '\r' || c == '\n') {
        continue;
      }
      int value = c < 128 ? VALUES[c] : -1;
      if (value == -1) {
        throw new IllegalArgumentException(
            "Request body is not base64 (application/grpc-web-text): unexpected byte 0x"
                + Integer.toHexString(c));
      }
      if (value == -2 && inGroup < 2) {
        throw new IllegalArgumentException(
            "Request body is not base64 (application/grpc-web-text): misplaced '='");
      }
      if (value != -2 && inGroup == 3 && group[2] == -2) {
        throw new IllegalArgumentException(
            "Request body is not base64 (application/grpc-web-text): misplaced '='");
      }
      group[inGroup++] = value;
      if (inGroup == 4) {
        written = decodeGroup(out, written);
        inGroup = 0;
      }
    }
    return ByteBuffer.wrap(out, 0, written);
  }

  /** Characters of a group not yet complete, held for the next read. */
  public int buffered() {
    return inGroup;
  }

  /**
   * Checks that the body ended on a group's end.
   *
   * @throws IllegalArgumentException if it stopped inside one
   */
  public void finish() {
    if (inGroup != 0) {
      throw new IllegalArgumentException(
          "Request body is not base64 (application/grpc-web-text): it ends inside a group of four"
              + " characters");
    }
  }

  private int decodeGroup(byte[] out, int at) {
    int bits = group[0] << 18 | group[1] << 12;
    out[at++] = (byte) (bits >>> 16);
    if (group[2] == -2) {
      return at; // "xx=="
    }
    bits |= group[2] << 6;
    out[at++] = (byte) (bits >>> 8);
    if (group[3] == -2) {
      return at; // "xxx="
    }
    bits |= group[3];
    out[at++] = (byte) bits;
    return at;
  }
}
