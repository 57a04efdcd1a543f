package io.tri4j.internal.codec;

import io.tri4j.Metadata;
import io.tri4j.Status;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The message that ends a Connect stream's response: an envelope flagged {@link #FLAG} holding
 * {@code {"error":{...},"metadata":{"key":["value"]}}}, where the error is left out on success and
 * the metadata is the call's trailers ({@code -bin} values in unpadded base64).
 */
public final class ConnectEndStream {
  /** The envelope flag of the end message. */
  public static final int FLAG = 0x02;

  private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

  private ConnectEndStream() {}

  /** The end message, envelope included. */
  public static byte[] frame(Status status, Metadata trailers) {
    byte[] json = json(status, trailers);
    byte[] framed = new byte[MessageFramer.HEADER_LENGTH + json.length];
    MessageFramer.writeHeader(framed, 0, json.length, false);
    framed[0] = FLAG;
    System.arraycopy(json, 0, framed, MessageFramer.HEADER_LENGTH, json.length);
    return framed;
  }

  /** The end message's JSON. */
  static byte[] json(Status status, Metadata trailers) {
    StringBuilder json = new StringBuilder(32).append('{');
    if (!status.isOk()) {
      json.append("\"error\":");
      ConnectError.appendTo(json, status, trailers);
    }
    boolean first = true;
    for (String key : trailers.keys()) {
      if (!status.isOk() && key.equals(Metadata.STATUS_DETAILS_KEY)) {
        continue; // carried as the error's details
      }
      json.append(first ? (status.isOk() ? "\"metadata\":{" : ",\"metadata\":{") : ",");
      first = false;
      JsonError.quote(key, json);
      json.append(":[");
      List<?> values =
          key.endsWith(Metadata.BINARY_SUFFIX) ? trailers.getAllBinary(key) : trailers.getAll(key);
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          json.append(',');
        }
        Object value = values.get(i);
        JsonError.quote(
            value instanceof byte[] bytes ? BASE64.encodeToString(bytes) : (String) value, json);
      }
      json.append(']');
    }
    if (!first) {
      json.append('}');
    }
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }
}
