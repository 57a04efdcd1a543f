package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.codec.ConnectError;
import io.tri4j.internal.codec.JsonError;
import java.nio.charset.StandardCharsets;

/**
 * How the server answers a request it refuses from its headers alone: a request that is not gRPC
 * gets its HTTP status and a plain-text body a person can read; a gRPC request it cannot serve gets
 * a trailers-only response with the status; a Connect request gets Connect's error JSON.
 */
final class RequestRejection implements RequestHeaderReader.Result {
  private final Status status;
  private final Http2Headers headers;
  private final byte[] body;

  private RequestRejection(Status status, Http2Headers headers, byte[] body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** Not a gRPC request: {@code httpStatus}, a text body, and the status in headers too. */
  static RequestRejection httpError(int httpStatus, Status status) {
    Http2Headers headers =
        new DefaultHttp2Headers(false)
            .status(AsciiString.of(Integer.toString(httpStatus)))
            .add(GrpcHeaders.CONTENT_TYPE, GrpcHeaders.TEXT_PLAIN);
    byte[] text = (status.description() + "\n").getBytes(StandardCharsets.UTF_8);
    return new RequestRejection(status, GrpcHeaders.addStatus(headers, status), text);
  }

  /** A Triple JSON request: {@code httpStatus} and the status as a JSON error body. */
  static RequestRejection json(int httpStatus, Status status) {
    Http2Headers headers =
        new DefaultHttp2Headers(false)
            .status(AsciiString.of(Integer.toString(httpStatus)))
            .add(GrpcHeaders.CONTENT_TYPE, TripleJsonExchange.APPLICATION_JSON)
            .add(GrpcHeaders.GRPC_STATUS, AsciiString.of(Integer.toString(status.code().value())));
    return new RequestRejection(status, headers, JsonError.of(status));
  }

  /** A Connect request refused: Connect's error JSON, with the HTTP status of its code. */
  static RequestRejection connect(Status status) {
    return connect(status, ConnectError.httpStatus(status.code()));
  }

  /** As {@link #connect(Status)}, with another HTTP status (404: no such method). */
  static RequestRejection connect(Status status, int httpStatus) {
    Http2Headers headers =
        new DefaultHttp2Headers(false)
            .status(AsciiString.of(Integer.toString(httpStatus)))
            .add(GrpcHeaders.CONTENT_TYPE, Connect.ERROR_CONTENT_TYPE);
    return new RequestRejection(status, headers, ConnectError.json(status, new Metadata()));
  }

  /** A gRPC request this server cannot serve: a trailers-only response. */
  static RequestRejection trailersOnly(Status status) {
    return trailersOnly(status, null);
  }

  /** As {@link #trailersOnly(Status)}, in gRPC-Web's form if {@code web} is not null. */
  static RequestRejection trailersOnly(Status status, GrpcWeb web) {
    return new RequestRejection(status, trailersOnlyHeaders(status, web), null);
  }

  /** A request compressed in an encoding this server lacks: it names the ones it has. */
  static RequestRejection unsupportedEncoding(Status status, GrpcWeb web) {
    Http2Headers headers =
        trailersOnlyHeaders(status, web)
            .add(GrpcHeaders.GRPC_ACCEPT_ENCODING, GrpcHeaders.ACCEPT_ENCODINGS);
    return new RequestRejection(status, headers, null);
  }

  private static Http2Headers trailersOnlyHeaders(Status status, GrpcWeb web) {
    return web == null ? GrpcHeaders.trailersOnly(status) : web.trailersOnly(status);
  }

  Status status() {
    return status;
  }

  /** The response's HEADERS; they end the stream unless there is a {@link #body()}. */
  Http2Headers headers() {
    return headers;
  }

  /** The body that follows the headers and ends the stream, or null for a trailers-only answer. */
  byte[] body() {
    return body;
  }
}
