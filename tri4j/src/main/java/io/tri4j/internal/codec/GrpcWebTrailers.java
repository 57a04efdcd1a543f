package io.tri4j.internal.codec;

import io.tri4j.Metadata;
import io.tri4j.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * gRPC-Web's trailers: since a browser cannot read HTTP trailers, the status and trailing metadata
 * travel as the last length-prefixed frame of the body, flagged {@value #TRAILERS_FLAG}, written as
 * HTTP/1.1 header lines ({@code grpc-status: 0\r\n}) with lower-case names. A server writes it with
 * {@link #frame}; a client reads its body with {@link #read}.
 */
public final class GrpcWebTrailers {
  /** The flag byte that marks a frame as trailers rather than a message. */
  public static final int TRAILERS_FLAG = 0x80;

  private static final byte[] SEPARATOR = {':', ' '};
  private static final byte[] LINE_END = {'\r', '\n'};

  private GrpcWebTrailers() {}

  /** The trailers frame, prefix included, for {@code status} and {@code trailers}. */
  public static byte[] frame(Status status, Metadata trailers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    out.writeBytes(new byte[MessageFramer.HEADER_LENGTH]); // the prefix, filled in below
    line(
        out,
        "grpc-status",
        Integer.toString(status.code().value()).getBytes(StandardCharsets.US_ASCII));
    if (status.description() != null) {
      line(out, "grpc-message", GrpcMessageEncoding.encode(status.description()));
    }
    for (String key : trailers.keys()) {
      if (key.endsWith(Metadata.BINARY_SUFFIX)) {
        for (byte[] value : trailers.getAllBinary(key)) {
          line(out, key, Base64.getEncoder().withoutPadding().encode(value));
        }
      } else {
        for (String value : trailers.getAll(key)) {
          line(out, key, value.getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
    byte[] frame = out.toByteArray();
    MessageFramer.writeHeader(frame, 0, frame.length - MessageFramer.HEADER_LENGTH, false);
    frame[0] = (byte) TRAILERS_FLAG;
    return frame;
  }

  /**
   * Reads the body of a trailers frame (without its prefix): hands each header line's name, in
   * lower case, and value, without the blanks around it, to {@code entry}. Lines without a colon
   * are skipped.
   */
  public static void read(byte[] body, BiConsumer<String, String> entry) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(start, end);
      int colon = line.indexOf(':');
      if (colon > 0) {
        entry.accept(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      start = end + 1;
    }
  }

  private static void line(ByteArrayOutputStream out, String name, byte[] value) {
    out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(SEPARATOR);
    out.writeBytes(value);
    out.writeBytes(LINE_END);
  }
}
