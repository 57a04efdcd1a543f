package io.tri4j.internal.codec;

import io.tri4j.Status;
import java.nio.charset.StandardCharsets;

/**
 * The JSON body of a failed HTTP/1.1 + JSON call: {@code {"code":5,"status":"NOT_FOUND",
 * "message":"..."}}.
 */
public final class JsonError {
  private JsonError() {}

  public static byte[] of(Status status) {
    StringBuilder json = new StringBuilder(64);
    json.append("{\"code\":").append(status.code().value());
    json.append(",\"status\":\"").append(status.code().name()).append('"');
    if (status.description() != null) {
      json.append(",\"message\":");
      quote(status.description(), json);
    }
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Appends {@code s} as a JSON string literal. */
  static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
