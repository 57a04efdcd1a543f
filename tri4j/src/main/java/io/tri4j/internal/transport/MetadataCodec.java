package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import java.util.Base64;
import java.util.Map;
import java.util.function.BiConsumer;

/** Metadata to and from HTTP/2 headers; {@code -bin} values travel as base64. */
final class MetadataCodec {
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  /**
   * The trailers of a server call closed with none (given as null): shared, so only ever read, as
   * the server's transport reads the trailers it is given.
   */
  static final Metadata NO_TRAILERS = new Metadata();

  private MetadataCodec() {}

  /** Adds every entry of {@code metadata} to {@code headers}. */
  static Http2Headers addTo(Http2Headers headers, Metadata metadata) {
    if (!metadata.isEmpty()) { // most calls have none
      forEach(metadata, headers::add);
    }
    return headers;
  }

  /**
   * Puts the entries of {@code metadata} into {@code out} from {@code at} on, as name, value, name,
   * value...: {@code 2 * metadata.size()} places.
   */
  static void copyTo(AsciiString[] out, int at, Metadata metadata) {
    if (metadata.isEmpty()) {
      return; // most calls
    }
    int[] next = {at};
    forEach(
        metadata,
        (name, value) -> {
          out[next[0]++] = name;
          out[next[0]++] = value;
        });
  }

  private static void forEach(Metadata metadata, BiConsumer<AsciiString, AsciiString> sink) {
    for (String key : metadata.keys()) {
      AsciiString name = AsciiString.of(key);
      if (key.endsWith(Metadata.BINARY_SUFFIX)) {
        for (byte[] value : metadata.getAllBinary(key)) {
          sink.accept(name, AsciiString.of(ENCODER.encodeToString(value)));
        }
      } else {
        for (String value : metadata.getAll(key)) {
          sink.accept(name, AsciiString.of(value));
        }
      }
    }
  }

  /**
   * The metadata in received headers: pseudo-headers and reserved keys are left out, and so are
   * entries that are not valid metadata (a malformed base64 value, a key with capitals).
   */
  static Metadata fromHeaders(Http2Headers headers) {
    Metadata metadata = new Metadata();
    if (headers instanceof InboundHeaders received) { // as received: read in place
      for (int i = 0, n = received.size(); i < n; i++) {
        put(metadata, received.name(i), received.value(i));
      }
    } else {
      for (Map.Entry<CharSequence, CharSequence> entry : headers) {
        put(metadata, entry.getKey(), entry.getValue());
      }
    }
    return metadata;
  }

  private static void put(Metadata metadata, CharSequence name, CharSequence value) {
    if (Metadata.isReserved(name)) {
      return; // pseudo-headers and the protocol's own, skipped before any string is made
    }
    String key = name.toString();
    String text = value.toString();
    try {
      if (key.endsWith(Metadata.BINARY_SUFFIX)) {
        // Several binary values may arrive joined by commas.
        for (String part : text.split(",", -1)) {
          metadata.putBinary(key, DECODER.decode(part.trim()));
        }
      } else {
        metadata.put(key, text);
      }
    } catch (IllegalArgumentException e) {
      // Not valid metadata: left out rather than failing the call.
    }
  }
}
