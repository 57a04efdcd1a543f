package io.tri4j.internal.codec;

import io.tri4j.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An error as a Connect server sends it: {@code {"code": "not_found", "message": "...", "details":
 * [...]}}, the body of a failed unary call or the {@code error} of a stream's end. A body that is
 * no such object falls back to the status its HTTP status maps to, as Connect's clients do.
 *
 * @param status the call's status
 * @param statusDetails the error's details as gRPC carries them, a {@code google.rpc.Status} for
 *     the {@code grpc-status-details-bin} trailer; null if it has none
 */
public record ConnectWireError(Status status, byte[] statusDetails) {
  private static final String TYPE_URL_PREFIX = "type.googleapis.com/";

  /** The error of a failed unary call: its JSON body, or else its {@code httpStatus}. */
  public static ConnectWireError fromBody(byte[] body, int httpStatus) {
    Object json;
    try {
      json = JsonReader.read(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException notJson) {
      return new ConnectWireError(
          HttpStatusMapping.toStatus(httpStatus)
              .withDescription("HTTP status " + httpStatus + " without a Connect error"),
          null);
    }
    if (!(json instanceof Map<?, ?> error) || !(error.get("code") instanceof String)) {
      return new ConnectWireError(
          HttpStatusMapping.toStatus(httpStatus)
              .withDescription("HTTP status " + httpStatus + " without a Connect error code"),
          null);
    }
    return fromJson(error);
  }

  /** The error an error object says; {@code UNKNOWN} if it names no code this side knows. */
  static ConnectWireError fromJson(Map<?, ?> error) {
    Status status = code(error.get("code")).toStatus();
    if (error.get("message") instanceof String message && !message.isEmpty()) {
      status = status.withDescription(message);
    }
    return new ConnectWireError(status, statusDetails(status, error.get("details")));
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

  /**
   * The details as a {@code google.rpc.Status} (code 1, message 2, repeated {@code Any} details 3),
   * written by hand since the core needs no protobuf; null without valid details. Each detail is
   * {@code {"type": "pkg.Message", "value": base64}}.
   */
  private static byte[] statusDetails(Status status, Object details) {
    if (!(details instanceof List<?> list) || list.isEmpty()) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    tag(out, 1, 0);
    varint(out, status.code().value());
    if (status.description() != null) {
      bytes(out, 2, status.description().getBytes(StandardCharsets.UTF_8));
    }
    for (Object detail : list) {
      if (!(detail instanceof Map<?, ?> d)
          || !(d.get("type") instanceof String type)
          || !(d.get("value") instanceof String value)) {
        return null;
      }
      byte[] decoded;
      try {
        // Connect writes base64 without padding; the decoder takes it either way.
        decoded = Base64.getDecoder().decode(value);
      } catch (IllegalArgumentException notBase64) {
        return null;
      }
      ByteArrayOutputStream any = new ByteArrayOutputStream();
      bytes(any, 1, (TYPE_URL_PREFIX + type).getBytes(StandardCharsets.UTF_8));
      bytes(any, 2, decoded);
      bytes(out, 3, any.toByteArray());
    }
    return out.toByteArray();
  }

  private static void bytes(ByteArrayOutputStream out, int field, byte[] value) {
    tag(out, field, 2);
    varint(out, value.length);
    out.writeBytes(value);
  }

  private static void tag(ByteArrayOutputStream out, int field, int wireType) {
    varint(out, field << 3 | wireType);
  }

  private static void varint(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7f) != 0) {
      out.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }
}
