package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.codec.GrpcWebTrailers;
import java.util.Base64;

/**
 * The bodies of gRPC-Web: binary ({@code application/grpc-web+proto}), gRPC's frames as they are;
 * and text ({@code application/grpc-web-text+proto}), the same bytes in base64. Either way the
 * trailers are the body's last frame ({@link GrpcWebTrailers}), not HTTP trailers, and a response
 * that is only a status carries it in its headers. Each comes with messages in JSON too ({@code
 * +json}, protobuf messages only), as {@code application/grpc+json} is to gRPC.
 */
enum GrpcWeb {
  BINARY(AsciiString.cached("application/grpc-web+proto"), false, false),
  TEXT(AsciiString.cached("application/grpc-web-text+proto"), true, false),
  BINARY_JSON(AsciiString.cached("application/grpc-web+json"), false, true),
  TEXT_JSON(AsciiString.cached("application/grpc-web-text+json"), true, true);

  /** The response's content type; for JSON, the request's too. */
  final AsciiString contentType;

  /** Whether the body is in base64. */
  final boolean text;

  /** Whether the messages are in JSON. */
  final boolean json;

  /** The response headers of a call with no metadata and no compression, built once. */
  final Http2Headers responseHeaders;

  GrpcWeb(AsciiString contentType, boolean text, boolean json) {
    this.contentType = contentType;
    this.text = text;
    this.json = json;
    this.responseHeaders =
        ReadOnlyHttp2Headers.serverHeaders(
            false,
            GrpcHeaders.STATUS_200,
            GrpcHeaders.CONTENT_TYPE,
            contentType,
            GrpcHeaders.GRPC_ACCEPT_ENCODING,
            GrpcHeaders.ACCEPT_ENCODINGS);
  }

  /** Response headers to which metadata may be added. */
  Http2Headers newResponseHeaders() {
    return new DefaultHttp2Headers(false)
        .status(GrpcHeaders.STATUS_200)
        .add(GrpcHeaders.CONTENT_TYPE, contentType)
        .add(GrpcHeaders.GRPC_ACCEPT_ENCODING, GrpcHeaders.ACCEPT_ENCODINGS);
  }

  /** The headers of a response that is nothing but a status (trailers-only). */
  Http2Headers trailersOnly(Status status) {
    Http2Headers headers =
        new DefaultHttp2Headers(false)
            .status(GrpcHeaders.STATUS_200)
            .add(GrpcHeaders.CONTENT_TYPE, contentType);
    return GrpcHeaders.addStatus(headers, status);
  }

  /** Body bytes as they go on the wire; takes ownership of {@code data}. */
  ByteBuf encode(ByteBuf data) {
    if (!text) {
      return data;
    }
    try {
      return Unpooled.wrappedBuffer(Base64.getEncoder().encode(ByteBufUtil.getBytes(data)));
    } finally {
      data.release();
    }
  }

  /** The trailers frame that ends the body, as it goes on the wire. */
  ByteBuf trailers(Status status, Metadata trailers) {
    return encode(Unpooled.wrappedBuffer(GrpcWebTrailers.frame(status, trailers)));
  }

  /**
   * Which gRPC-Web body a content type without parameters asks for, ignoring case, or null if it is
   * not gRPC-Web.
   */
  static GrpcWeb forContentType(String type) {
    for (AsciiString served :
        new AsciiString[] {
          GrpcHeaders.APPLICATION_GRPC_WEB,
          GrpcHeaders.APPLICATION_GRPC_WEB_PROTO,
          GrpcHeaders.APPLICATION_GRPC_WEB_TEXT,
          GrpcHeaders.APPLICATION_GRPC_WEB_TEXT_PROTO,
          BINARY_JSON.contentType,
          TEXT_JSON.contentType
        }) {
      if (served.contentEqualsIgnoreCase(type)) {
        return of(served);
      }
    }
    return null;
  }

  /**
   * Which gRPC-Web body a request's content type (lower case, without parameters) asks for, or null
   * if it is not gRPC-Web.
   */
  static GrpcWeb of(AsciiString servedType) {
    if (servedType == GrpcHeaders.APPLICATION_GRPC_WEB
        || servedType == GrpcHeaders.APPLICATION_GRPC_WEB_PROTO) {
      return BINARY;
    }
    if (servedType == GrpcHeaders.APPLICATION_GRPC_WEB_TEXT
        || servedType == GrpcHeaders.APPLICATION_GRPC_WEB_TEXT_PROTO) {
      return TEXT;
    }
    if (servedType == BINARY_JSON.contentType) {
      return BINARY_JSON;
    }
    return servedType == TEXT_JSON.contentType ? TEXT_JSON : null;
  }
}
