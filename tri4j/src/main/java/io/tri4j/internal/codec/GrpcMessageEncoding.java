package io.tri4j.internal.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The percent-encoding of {@code grpc-message}: the UTF-8 bytes of the description, with every byte
 * outside printable ASCII (0x20..0x7E), and {@code %} itself, written as {@code %XX}.
 *
 * <p>{@code +} is encoded too ({@code %2B}): the spec allows it, and Dubbo 3.3's client decodes
 * {@code grpc-message} like a form and would read a plain {@code +} as a space.
 *
 * <p>Decoding is lenient, as the gRPC spec asks: a {@code %} not followed by two hex digits stays
 * as it is, and raw bytes that a peer failed to encode are read as UTF-8 if they are valid UTF-8,
 * else as ISO-8859-1 (Dubbo 3.3 writes its messages' characters as single bytes).
 */
public final class GrpcMessageEncoding {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private GrpcMessageEncoding() {}

  /** The header value for a description, as bytes of ASCII. */
  public static byte[] encode(String description) {
    byte[] utf8 = description.getBytes(StandardCharsets.UTF_8);
    int escapes = 0;
    for (byte b : utf8) {
      if (needsEscape(b)) {
        escapes++;
      }
    }
    if (escapes == 0) {
      return utf8;
    }
    byte[] out = new byte[utf8.length + 2 * escapes];
    int i = 0;
    for (byte b : utf8) {
      if (needsEscape(b)) {
        out[i++] = '%';
        out[i++] = HEX[(b >> 4) & 0xf];
        out[i++] = HEX[b & 0xf];
      } else {
        out[i++] = b;
      }
    }
    return out;
  }

  /** The description for a header value given as its raw bytes. */
  public static String decode(byte[] value) {
    boolean plain = true;
    for (byte b : value) {
      if (b == '%' || b < 0) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return new String(value, StandardCharsets.US_ASCII);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length);
    for (int i = 0; i < value.length; i++) {
      byte b = value[i];
      if (b == '%' && i + 2 < value.length) {
        int hi = Character.digit(value[i + 1], 16);
        int lo = Character.digit(value[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      out.write(b);
    }
    return utf8OrLatin1(out.toByteArray());
  }

  private static String utf8OrLatin1(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  private static boolean needsEscape(byte b) {
    return b < ' ' || b > '~' || b == '%' || b == '+';
  }
}
