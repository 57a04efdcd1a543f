package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Status;
import io.tri4j.internal.codec.GrpcMessageEncoding;
import io.tri4j.internal.codec.HttpStatusMapping;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Names and values of the gRPC headers, and the status they carry. */
final class GrpcHeaders {
  static final AsciiString POST = AsciiString.cached("POST");
  static final AsciiString HTTP = AsciiString.cached("http");
  static final AsciiString STATUS_200 = AsciiString.cached("200");
  static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  static final AsciiString TE = AsciiString.cached("te");
  static final AsciiString TRAILERS = AsciiString.cached("trailers");
  static final AsciiString USER_AGENT_KEY = AsciiString.cached("user-agent");
  static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
  static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
  static final AsciiString GRPC_ENCODING = AsciiString.cached("grpc-encoding");
  static final AsciiString GRPC_ACCEPT_ENCODING = AsciiString.cached("grpc-accept-encoding");
  static final AsciiString ACCEPT_ENCODINGS =
      AsciiString.cached(io.tri4j.internal.codec.Compression.ACCEPT_ENCODING);
  static final AsciiString TRI_SERVICE_VERSION = AsciiString.cached("tri-service-version");
  static final AsciiString TRI_SERVICE_GROUP = AsciiString.cached("tri-service-group");
  static final AsciiString TRI_CONSUMER_APPNAME = AsciiString.cached("tri-consumer-appname");
  static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");
  static final AsciiString APPLICATION_GRPC_PROTO = AsciiString.cached("application/grpc+proto");
  static final AsciiString APPLICATION_GRPC_JSON = AsciiString.cached("application/grpc+json");
  static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");
  static final AsciiString USER_AGENT = AsciiString.cached("tri4j-java/" + version());

  private GrpcHeaders() {}

  /** Whether a request's content-type is one this server decodes as protobuf-style bytes. */
  static boolean isAcceptedRequestContentType(CharSequence contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toString();
    int semicolon = type.indexOf(';');
    if (semicolon >= 0) {
      type = type.substring(0, semicolon);
    }
    type = type.trim().toLowerCase(java.util.Locale.ROOT);
    return type.equals("application/grpc")
        || type.equals("application/grpc+proto")
        || type.equals("application/grpc+data")
        || type.equals("application/grpc+json");
  }

  /** Whether a request's content-type asks for JSON messages. */
  static boolean isJson(CharSequence contentType) {
    return contentType != null
        && contentType
            .toString()
            .toLowerCase(java.util.Locale.ROOT)
            .startsWith("application/grpc+json");
  }

  /** Whether a response's content-type says it is gRPC. */
  static boolean isGrpcContentType(CharSequence contentType) {
    return contentType != null
        && AsciiString.regionMatches(contentType, true, 0, APPLICATION_GRPC, 0, 16)
        && (contentType.length() == 16
            || contentType.charAt(16) == '+'
            || contentType.charAt(16) == ';');
  }

  /** Adds {@code grpc-status} and, if there is a description, {@code grpc-message}. */
  static Http2Headers addStatus(Http2Headers headers, Status status) {
    headers.add(GRPC_STATUS, AsciiString.of(Integer.toString(status.code().value())));
    if (status.description() != null) {
      headers.add(GRPC_MESSAGE, new AsciiString(GrpcMessageEncoding.encode(status.description())));
    }
    return headers;
  }

  /** The headers of a response that is nothing but a status (trailers-only). */
  static Http2Headers trailersOnly(Status status) {
    Http2Headers headers =
        new DefaultHttp2Headers(false).status(STATUS_200).add(CONTENT_TYPE, APPLICATION_GRPC);
    return addStatus(headers, status);
  }

  /**
   * The status of a response from its trailers (or its only headers). A missing {@code grpc-status}
   * falls back to the HTTP status, as gRPC's HTTP mapping says; Dubbo 3.3 sends a non-200 {@code
   * :status} with a valid {@code grpc-status}, which wins.
   */
  static Status parseStatus(Http2Headers headers, int httpStatus) {
    CharSequence code = headers.get(GRPC_STATUS);
    if (code == null) {
      if (httpStatus != 200) {
        return HttpStatusMapping.toStatus(httpStatus);
      }
      return Status.UNKNOWN.withDescription("The response has no grpc-status");
    }
    Status status;
    try {
      status = Status.fromCodeValue(Integer.parseInt(code.toString().trim()));
    } catch (NumberFormatException e) {
      return Status.UNKNOWN.withDescription("Invalid grpc-status: " + code);
    }
    CharSequence message = headers.get(GRPC_MESSAGE);
    if (message != null) {
      status =
          status.withDescription(GrpcMessageEncoding.decode(AsciiString.of(message).toByteArray()));
    }
    return status;
  }

  /** The numeric {@code :status}, or -1 if absent or malformed. */
  static int httpStatus(Http2Headers headers) {
    CharSequence status = headers.status();
    if (status == null) {
      return -1;
    }
    try {
      return Integer.parseInt(status.toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String version() {
    Properties properties = new Properties();
    try (InputStream in =
        GrpcHeaders.class.getResourceAsStream("/io/tri4j/internal/tri4j.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // Fall through to the default.
    }
    return properties.getProperty("version", "dev");
  }
}
