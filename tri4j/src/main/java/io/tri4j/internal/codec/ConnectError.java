package io.tri4j.internal.codec;

import io.tri4j.Metadata;
import io.tri4j.Status;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The Connect protocol's error: {@code {"code":"not_found","message":"...","details":[...]}}, the
 * body of a failed unary call and the {@code error} of a stream's end message. Its details are
 * those of the {@code grpc-status-details-bin} trailer, if the handler set one.
 */
public final class ConnectError {
  private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

  private ConnectError() {}

  /** Connect's name for a code: gRPC's in lower case, with Connect's spelling of "canceled". */
  public static String codeName(Status.Code code) {
    return code == Status.Code.CANCELLED ? "canceled" : code.name().toLowerCase(Locale.ROOT);
  }

  /** The HTTP status of a failed unary call: Connect maps codes as HTTP/JSON gateways do. */
  public static int httpStatus(Status.Code code) {
    return HttpStatusMapping.toHttpStatus(code);
  }

  /** The error of {@code status} as JSON, with the details in {@code trailers} if any. */
  public static byte[] json(Status status, Metadata trailers) {
    StringBuilder json = new StringBuilder(64);
    appendTo(json, status, trailers);
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Appends the error of {@code status} as a JSON object. */
  static void appendTo(StringBuilder json, Status status, Metadata trailers) {
    json.append("{\"code\":\"").append(codeName(status.code())).append('"');
    if (status.description() != null) {
      json.append(",\"message\":");
      JsonError.quote(status.description(), json);
    }
    byte[] details = trailers == null ? null : trailers.getBinary(Metadata.STATUS_DETAILS_KEY);
    if (details != null) {
      try {
        appendDetails(json, RpcStatusDetails.parse(details));
      } catch (IllegalArgumentException malformed) {
        // Details that cannot be read are left out; the code and message still reach the client.
      }
    }
    json.append('}');
  }

  private static void appendDetails(
      StringBuilder json, java.util.List<RpcStatusDetails.Detail> all) {
    if (all.isEmpty()) {
      return;
    }
    json.append(",\"details\":[");
    for (int i = 0; i < all.size(); i++) {
      RpcStatusDetails.Detail detail = all.get(i);
      json.append(i == 0 ? "{\"type\":" : ",{\"type\":");
      JsonError.quote(detail.typeName(), json);
      json.append(",\"value\":\"").append(BASE64.encodeToString(detail.value())).append("\"}");
    }
    json.append(']');
  }
}
