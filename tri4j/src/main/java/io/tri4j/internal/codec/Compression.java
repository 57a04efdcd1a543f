package io.tri4j.internal.codec;

import io.tri4j.Status;
import io.tri4j.StatusException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The message encodings of {@code grpc-encoding}: {@code gzip} and {@code deflate} (zlib), besides
 * {@code identity}.
 */
public enum Compression {
  GZIP("gzip") {
    @Override
    OutputStream wrap(OutputStream out) throws IOException {
      return new GZIPOutputStream(out);
    }

    @Override
    InputStream wrap(InputStream in) throws IOException {
      return new GZIPInputStream(in);
    }
  },
  DEFLATE("deflate") {
    @Override
    OutputStream wrap(OutputStream out) {
      return new DeflaterOutputStream(out);
    }

    @Override
    InputStream wrap(InputStream in) {
      return new InflaterInputStream(in);
    }
  };

  /** The value of {@code grpc-accept-encoding} this side sends. */
  public static final String ACCEPT_ENCODING = "gzip,deflate";

  /** The encodings understood, for error messages. */
  public static final List<String> SUPPORTED = List.of("identity", "gzip", "deflate");

  private final String encoding;

  Compression(String encoding) {
    this.encoding = encoding;
  }

  /** The name in {@code grpc-encoding}. */
  public String encoding() {
    return encoding;
  }

  abstract OutputStream wrap(OutputStream out) throws IOException;

  abstract InputStream wrap(InputStream in) throws IOException;

  /**
   * The compression for a {@code grpc-encoding} value: null for {@code identity} or no value.
   *
   * @throws IllegalArgumentException if the encoding is not supported
   */
  public static Compression forEncoding(String encoding) {
    if (encoding == null || encoding.isEmpty() || encoding.equalsIgnoreCase("identity")) {
      return null;
    }
    String name = encoding.trim().toLowerCase(Locale.ROOT);
    for (Compression c : values()) {
      if (c.encoding.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "Unsupported compression '" + encoding + "'; supported: " + String.join(", ", SUPPORTED));
  }

  /**
   * Whether an accept-encoding value ({@code grpc-accept-encoding}, or HTTP's {@code
   * accept-encoding} of Connect and browsers) takes this encoding: listed by name, or through
   * {@code *}, and not with a weight of zero ({@code gzip;q=0} refuses gzip).
   */
  public boolean acceptedBy(CharSequence acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    boolean anyAccepted = false;
    for (String part : acceptEncoding.toString().split(",")) {
      int semicolon = part.indexOf(';');
      String name = (semicolon < 0 ? part : part.substring(0, semicolon)).trim();
      boolean refused = semicolon >= 0 && weightIsZero(part.substring(semicolon + 1));
      if (name.equalsIgnoreCase(encoding)) {
        return !refused; // named: that settles it, whatever * says
      }
      if (name.equals("*")) {
        anyAccepted = !refused;
      }
    }
    return anyAccepted;
  }

  /** Whether parameters such as {@code q=0.5} give a weight of zero; an unreadable one counts. */
  private static boolean weightIsZero(String parameters) {
    for (String parameter : parameters.split(";")) {
      String p = parameter.trim();
      if (p.length() > 1 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
        try {
          return Double.parseDouble(p.substring(2).trim()) <= 0;
        } catch (NumberFormatException e) {
          return true; // a weight that cannot be read is no consent
        }
      }
    }
    return false;
  }

  public byte[] compress(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
    try (OutputStream z = wrap(out)) {
      z.write(data);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory compression failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Decompresses one message.
   *
   * @throws StatusException {@code RESOURCE_EXHAUSTED} if the result would pass {@code maxSize}
   *     bytes, {@code INTERNAL} if the data is not valid
   */
  public byte[] decompress(byte[] data, int maxSize) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxSize, data.length * 4 + 64));
    byte[] buffer = new byte[8192];
    long total = 0;
    try (InputStream in = wrap(new ByteArrayInputStream(data))) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > maxSize) {
          throw Status.RESOURCE_EXHAUSTED
              .withDescription(
                  "Decompressed gRPC message is larger than the limit of " + maxSize + " bytes")
              .asException();
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw Status.INTERNAL
          // The zip library's words stay in the cause: the description goes to the peer.
          .withDescription("Invalid " + encoding + " data in a gRPC message")
          .withCause(e)
          .asException();
    }
    return out.toByteArray();
  }
}
