package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Status;
import io.tri4j.internal.codec.GrpcMessageEncoding;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Names and values of the gRPC headers, and how a status is written into them. */
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
  static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");
  static final AsciiString APPLICATION_GRPC_PROTO = AsciiString.cached("application/grpc+proto");
  static final AsciiString APPLICATION_GRPC_JSON = AsciiString.cached("application/grpc+json");
  static final AsciiString APPLICATION_GRPC_WEB = AsciiString.cached("application/grpc-web");
  static final AsciiString APPLICATION_GRPC_WEB_PROTO =
      AsciiString.cached("application/grpc-web+proto");
  static final AsciiString APPLICATION_GRPC_WEB_TEXT =
      AsciiString.cached("application/grpc-web-text");
  static final AsciiString APPLICATION_GRPC_WEB_TEXT_PROTO =
      AsciiString.cached("application/grpc-web-text+proto");
  static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");
  static final AsciiString USER_AGENT = AsciiString.cached("tri4j-java/" + version());

  /** Each code's {@code grpc-status} value, made once; indexed by the code's value. */
  private static final AsciiString[] STATUS_VALUES = statusValues();

  /**
   * The response headers of a call with no metadata and no compression, built once: the encoder
   * only reads them, so every such response can share them.
   */
  static final Http2Headers RESPONSE_HEADERS = plainResponseHeaders(APPLICATION_GRPC);

  /** {@link #RESPONSE_HEADERS} of a JSON call. */
  static final Http2Headers JSON_RESPONSE_HEADERS = plainResponseHeaders(APPLICATION_GRPC_JSON);

  /** The trailers of a call that ends well with no metadata, built once. */
  static final Http2Headers OK_TRAILERS =
      ReadOnlyHttp2Headers.trailers(false, GRPC_STATUS, STATUS_VALUES[0]);

  private GrpcHeaders() {}

  private static AsciiString[] statusValues() {
    Status.Code[] codes = Status.Code.values();
    AsciiString[] values = new AsciiString[codes.length];
    for (Status.Code code : codes) {
      values[code.value()] = AsciiString.cached(Integer.toString(code.value()));
    }
    return values;
  }

  private static Http2Headers plainResponseHeaders(AsciiString contentType) {
    return ReadOnlyHttp2Headers.serverHeaders(
        false, STATUS_200, CONTENT_TYPE, contentType, GRPC_ACCEPT_ENCODING, ACCEPT_ENCODINGS);
  }

  /** Adds {@code grpc-status} and, if there is a description, {@code grpc-message}. */
  static Http2Headers addStatus(Http2Headers headers, Status status) {
    headers.add(GRPC_STATUS, STATUS_VALUES[status.code().value()]);
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
