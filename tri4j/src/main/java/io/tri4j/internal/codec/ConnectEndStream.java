package io.tri4j.internal.codec;

import io.tri4j.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-of-stream message of a Connect stream, the body's last envelope (flagged {@code 0x02}):
 * {@code {"error": {...}, "metadata": {"key": ["value"]}}}, both optional; no error means OK.
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
}
