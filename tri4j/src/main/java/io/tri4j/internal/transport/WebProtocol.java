package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.ReferenceConfig;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.GrpcTimeout;
import io.tri4j.internal.codec.MessageFramer;
import io.tri4j.internal.codec.OutboundMessage;
import java.io.IOException;

/**
 * The wire rules of a client's calls over a protocol other than gRPC: the request headers and how
 * the response is read. Chosen once per client; a gRPC client has none, so its calls pay nothing.
 */
enum WebProtocol {
  /** gRPC-Web over HTTP/2: gRPC's frames, with the trailers in the body. */
  GRPC_WEB {
    @Override
    Http2Headers requestHeaders(
        Http2Headers headers,
        boolean json,
        boolean unary,
        Deadline deadline,
        Compression compression) {
      headers
          .add(
              GrpcHeaders.CONTENT_TYPE,
              json ? GRPC_WEB_JSON : GrpcHeaders.APPLICATION_GRPC_WEB_PROTO)
          .add(X_GRPC_WEB, ONE)
          .add(GrpcHeaders.USER_AGENT_KEY, GrpcHeaders.USER_AGENT);
      if (deadline != null) {
        headers.add(
            GrpcHeaders.GRPC_TIMEOUT,
            AsciiString.of(GrpcTimeout.encode(deadline.remainingNanos())));
      }
      headers.add(GrpcHeaders.GRPC_ACCEPT_ENCODING, GrpcHeaders.ACCEPT_ENCODINGS);
      if (compression != null) {
        headers.add(GrpcHeaders.GRPC_ENCODING, AsciiString.of(compression.encoding()));
      }
      return headers;
    }

    @Override
    WebResponse newResponse(
        NettyClientStream stream, boolean json, boolean unary, int maxInboundMessageSize) {
      return new GrpcWebResponse(stream, maxInboundMessageSize);
    }
  },

  /**
   * The Connect protocol: a unary call is a plain POST of the bare message, answered with the bare
   * message or an error as JSON; a stream is enveloped messages ended by a JSON end message.
   */
  CONNECT {
    @Override
    Http2Headers requestHeaders(
        Http2Headers headers,
        boolean json,
        boolean unary,
        Deadline deadline,
        Compression compression) {
      headers
          .add(GrpcHeaders.CONTENT_TYPE, contentType(json, unary))
          .add(CONNECT_PROTOCOL_VERSION, ONE)
          .add(GrpcHeaders.USER_AGENT_KEY, GrpcHeaders.USER_AGENT);
      if (deadline != null) {
        headers.add(CONNECT_TIMEOUT_MS, AsciiString.of(Long.toString(timeoutMillis(deadline))));
      }
      headers.add(unary ? ACCEPT_ENCODING : CONNECT_ACCEPT_ENCODING, GrpcHeaders.ACCEPT_ENCODINGS);
      if (compression != null) {
        headers.add(
            unary ? CONTENT_ENCODING : CONNECT_CONTENT_ENCODING,
            AsciiString.of(compression.encoding()));
      }
      return headers;
    }

    @Override
    WebResponse newResponse(
        NettyClientStream stream, boolean json, boolean unary, int maxInboundMessageSize) {
      AsciiString type = contentType(json, unary);
      return unary
          ? new ConnectUnaryResponse(stream, type, maxInboundMessageSize)
          : new ConnectStreamResponse(stream, type, maxInboundMessageSize);
    }

    @Override
    boolean unframedRequest(boolean unary) {
      return unary;
    }
  };

  private static final AsciiString GRPC_WEB_JSON = AsciiString.cached("application/grpc-web+json");
  private static final AsciiString X_GRPC_WEB = AsciiString.cached("x-grpc-web");
  private static final AsciiString ONE = AsciiString.cached("1");
  private static final AsciiString CONNECT_PROTOCOL_VERSION =
      AsciiString.cached("connect-protocol-version");
  private static final AsciiString CONNECT_TIMEOUT_MS = AsciiString.cached("connect-timeout-ms");
  private static final AsciiString ACCEPT_ENCODING = AsciiString.cached("accept-encoding");
  private static final AsciiString CONTENT_ENCODING = AsciiString.cached("content-encoding");
  private static final AsciiString CONNECT_ACCEPT_ENCODING =
      AsciiString.cached("connect-accept-encoding");
  private static final AsciiString CONNECT_CONTENT_ENCODING =
      AsciiString.cached("connect-content-encoding");
  private static final AsciiString APPLICATION_PROTO = AsciiString.cached("application/proto");
  private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
  private static final AsciiString CONNECT_PROTO = AsciiString.cached("application/connect+proto");
  private static final AsciiString CONNECT_JSON = AsciiString.cached("application/connect+json");

  /** Connect's content type of a call's requests and responses. */
  private static AsciiString contentType(boolean json, boolean unary) {
    if (unary) {
      return json ? APPLICATION_JSON : APPLICATION_PROTO;
    }
    return json ? CONNECT_JSON : CONNECT_PROTO;
  }

  /** {@code connect-timeout-ms}: the time left, rounded up, at most ten digits. */
  static long timeoutMillis(Deadline deadline) {
    long nanos = Math.max(1, deadline.remainingNanos());
    return Math.min(9_999_999_999L, (nanos + 999_999) / 1_000_000);
  }

  /** The rules of {@code protocol}; null for gRPC. */
  static WebProtocol of(ReferenceConfig.WireProtocol protocol) {
    return switch (protocol) {
      case GRPC -> null;
      case GRPC_WEB -> GRPC_WEB;
      case CONNECT -> CONNECT;
    };
  }

  /**
   * The HEADERS of a new call to {@code path}; {@code fixed} are the headers every call of the
   * client carries, {@code unary} whether the method is unary.
   */
  final Http2Headers requestHeaders(
      String path,
      AsciiString scheme,
      AsciiString authority,
      boolean json,
      boolean unary,
      Deadline deadline,
      Compression compression,
      Http2Headers fixed,
      Metadata metadata) {
    Http2Headers headers =
        new DefaultHttp2Headers(false)
            .method(GrpcHeaders.POST)
            .scheme(scheme)
            .path(AsciiString.of(path))
            .authority(authority);
    requestHeaders(headers, json, unary, deadline, compression);
    headers.add(fixed);
    return MetadataCodec.addTo(headers, metadata);
  }

  /** Adds the protocol's own request headers: content type, deadline, compression. */
  abstract Http2Headers requestHeaders(
      Http2Headers headers,
      boolean json,
      boolean unary,
      Deadline deadline,
      Compression compression);

  /** How {@code stream}'s response is read, its messages at most {@code maxInboundMessageSize}. */
  abstract WebResponse newResponse(
      NettyClientStream stream, boolean json, boolean unary, int maxInboundMessageSize);

  /** Whether a request is sent as one bare message rather than gRPC frames. */
  boolean unframedRequest(boolean unary) {
    return false;
  }

  /**
   * The bare message, without gRPC's prefix, compressed with {@code compression} as the request
   * headers announce, even if the call asked for this message uncompressed.
   */
  static ByteBuf unframed(
      OutboundMessage message, Compression compression, ByteBufAllocator alloc) {
    if (compression != null && !message.compressed()) {
      try {
        return Unpooled.wrappedBuffer(compression.compress(message.toByteArray()));
      } catch (IOException e) {
        throw Frames.serializationFailed(e);
      }
    }
    return Frames.frame(message, alloc).skipBytes(MessageFramer.HEADER_LENGTH);
  }
}
