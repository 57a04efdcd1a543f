package io.tri4j.internal.codec;

import io.tri4j.Metadata;
import io.tri4j.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-of-stream message of a Connect stream, the body's last envelope (flagged {@code 0x02}):
 * {@code {"error": {...}, "metadata": {"key": ["value"]}}}, both optional; no error means OK. A
 * client reads it ({@link #read}); a server writes it ({@link #frame}), leaving the error out on
 * success, with the call's trailers as the metadata ({@code -bin} values in unpadded base64).
 *
 * @param error the call's status, and its details if any
 * @param metadata the trailers, each key with its values as sent ({@code -bin} ones in base64)
 */
public record ConnectEndStream(ConnectWireError error, Map<String, List<String>> metadata) {
  private static final ConnectWireError OK = new ConnectWireError(Status.OK, null);

  /** The flag of the end-of-stream envelope. */
  public static final int FLAG = 0x02;

  /**
   * Reads the message's JSON.
   *
   * @throws IllegalArgumentException if it is not an end-of-stream message
   */
  public static ConnectEndStream read(byte[] json) {
    Object value = JsonReader.read(new String(json, StandardCharsets.UTF_8));
    if (!(value instanceof Map<?, ?> end)) {
      throw new IllegalArgumentException("The end-of-stream message is not a JSON object");
    }
    ConnectWireError status = OK;
    if (end.get("error") instanceof Map<?, ?> error) {
      status = ConnectWireError.fromJson(error);
    } else if (end.get("error") != null) {
      throw new IllegalArgumentException("The end-of-stream error is not a JSON object");
    }
    Map<String, List<String>> metadata = new LinkedHashMap<>();
    if (end.get("metadata") instanceof Map<?, ?> entries) {
      for (Map.Entry<?, ?> entry : entries.entrySet()) {
        List<String> values = new ArrayList<>();
        if (entry.getValue() instanceof List<?> list) {
          for (Object v : list) {
            if (v instanceof String s) {
              values.add(s);
            }
          }
        }
        metadata.put(String.valueOf(entry.getKey()), values);
      }
    }
    return new ConnectEndStream(status, metadata);
  }

  private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

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
