package io.tri4j.internal.transport;

import io.netty.handler.codec.http.HttpHeaders;
import io.tri4j.Metadata;
import java.util.Base64;
import java.util.Locale;

/** Metadata to and from HTTP/1.1 headers; {@code -bin} values in base64. */
final class Http1Metadata {
  private Http1Metadata() {}

  /** The request's headers as metadata (reserved and non-metadata headers left out). */
  static Metadata fromHeaders(HttpHeaders headers) {
    Metadata metadata = new Metadata();
    headers.forEach(
        e -> {
          String key = e.getKey().toLowerCase(Locale.ROOT);
          if (Metadata.isReserved(key) || key.equals("accept") || key.equals("content-length")) {
            return;
          }
          try {
            if (key.endsWith(Metadata.BINARY_SUFFIX)) {
              metadata.putBinary(key, Base64.getDecoder().decode(e.getValue().trim()));
            } else {
              metadata.put(key, e.getValue());
            }
          } catch (IllegalArgumentException ignored) {
            // Not valid metadata: left out.
          }
        });
    return metadata;
  }

  /** Adds {@code metadata} to {@code headers}. */
  static void addTo(HttpHeaders headers, Metadata metadata) {
    for (String key : metadata.keys()) {
      if (key.endsWith(Metadata.BINARY_SUFFIX)) {
        for (byte[] value : metadata.getAllBinary(key)) {
          headers.add(key, Base64.getEncoder().withoutPadding().encodeToString(value));
        }
      } else {
        for (String value : metadata.getAll(key)) {
          headers.add(key, value);
        }
      }
    }
  }
}
