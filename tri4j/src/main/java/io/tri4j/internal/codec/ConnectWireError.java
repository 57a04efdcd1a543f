package io.tri4j.internal.codec;

import io.tri4j.Status;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * An error as a Connect server sends it: {@code {"code": "not_found", "message": "..."}}, the body
 * of a failed unary call or the {@code error} of a stream's end. A body that is no such object
 * falls back to the status its HTTP status maps to, as Connect's clients do.
 */
public final class ConnectWireError {
  private ConnectWireError() {}

  /** The status of a failed unary call: its JSON body, or else its {@code httpStatus}. */
  public static Status fromBody(byte[] body, int httpStatus) {
    Object json;
    try {
      json = JsonReader.read(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException notJson) {
      return HttpStatusMapping.toStatus(httpStatus)
          .withDescription("HTTP status " + httpStatus + " without a Connect error");
    }
    if (!(json instanceof Map<?, ?> error) || !(error.get("code") instanceof String)) {
      return HttpStatusMapping.toStatus(httpStatus)
          .withDescription("HTTP status " + httpStatus + " without a Connect error code");
    }
    return fromJson(error);
  }

  /** The status an error object says; {@code UNKNOWN} if it names no code this side knows. */
  static Status fromJson(Map<?, ?> error) {
    Status status = code(error.get("code")).toStatus();
    return error.get("message") instanceof String message && !message.isEmpty()
        ? status.withDescription(message)
        : status;
  }

  /** The code a Connect code name stands for: gRPC's names in lower case, {@code canceled}. */
  static Status.Code code(Object name) {
    if (!(name instanceof String s)) {
      return Status.Code.UNKNOWN;
    }
    if (s.equals("canceled")) {
      return Status.Code.CANCELLED;
    }
    if (s.equals(s.toLowerCase(Locale.ROOT)) && !s.equals("ok") && !s.equals("cancelled")) {
      try {
        return Status.Code.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException unknown) {
        // below
      }
    }
    return Status.Code.UNKNOWN;
  }
}
