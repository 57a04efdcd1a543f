package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import java.util.Base64;
import java.util.Map;

/** Metadata to and from HTTP/2 headers; {@code -bin} values travel as base64. */
final class MetadataCodec {
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private MetadataCodec() {}

  /** Adds every entry of {@code metadata} to {@code headers}. */
  static Http2Headers addTo(Http2Headers headers, Metadata metadata) {
    if (metadata.isEmpty()) {
      return headers; // most calls
    }
    for (String key : metadata.keys()) {
      AsciiString name = AsciiString.of(key);
      if (key.endsWith(Metadata.BINARY_SUFFIX)) {
        for (byte[] value : metadata.getAllBinary(key)) {
          headers.add(name, AsciiString.of(ENCODER.encodeToString(value)));
        }
      } else {
        for (String value : metadata.getAll(key)) {
          headers.add(name, AsciiString.of(value));
        }
      }
    }
    return headers;
  }

  /**
   * The metadata in received headers: pseudo-headers and reserved keys are left out, and so are
   * entries that are not valid metadata (a malformed base64 value, a key with capitals).
   */
  static Metadata fromHeaders(Http2Headers headers) {
    Metadata metadata = new Metadata();
    for (Map.Entry<CharSequence, CharSequence> entry : headers) {
      if (Metadata.isReserved(entry.getKey())) {
        continue; // pseudo-headers and the protocol's own, skipped before any string is made
      }
      String key = entry.getKey().toString();
      String value = entry.getValue().toString();
      try {
        if (key.endsWith(Metadata.BINARY_SUFFIX)) {
          // Several binary values may arrive joined by commas.
          for (String part : value.split(",", -1)) {
            metadata.putBinary(key, DECODER.decode(part.trim()));
          }
        } else {
          metadata.put(key, value);
        }
      } catch (IllegalArgumentException e) {
        // Not valid metadata: left out rather than failing the call.
      }
    }
    return metadata;
  }
}
