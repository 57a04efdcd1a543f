package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.MethodType;
import io.tri4j.Status;
import io.tri4j.internal.call.IncomingCall;
import io.tri4j.internal.call.ServerCallDispatcher;
import io.tri4j.internal.codec.HttpStatusMapping;
import io.tri4j.internal.codec.JsonError;
import io.tri4j.internal.codec.MessageFramer;

/**
 * One call in Triple's JSON over HTTP/2, as Apache Dubbo 3.3 serves {@code POST /service/method}
 * with {@code Content-Type: application/json}: the request body is the one request in JSON, not
 * framed; the answer is {@code :status 200} with the reply in JSON, or a JSON error body with the
 * HTTP status that stands for its code, as the HTTP/1.1 JSON endpoint answers. Bodies without
 * frames carry one message, so only unary methods are served this way; {@code
 * application/grpc+json} streams.
 *
 * <p>The request is collected whole like a Connect unary body ({@link
 * io.tri4j.internal.codec.UnaryBody}, in {@link NettyServerStream}); the reply is held until the
 * call closes, since its status goes in the headers. Used on the event loop only.
 */
final class TripleJsonExchange {
  static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");

  /** Marks a Connect request, which shares {@code application/json} with Triple. */
  private static final AsciiString CONNECT_PROTOCOL_VERSION =
      AsciiString.cached("connect-protocol-version");

  private final Metadata responseHeaders = new Metadata();
  private byte[] reply;

  /**
   * Whether a request whose content type is {@code application/json} is Triple's JSON rather than
   * the Connect protocol's unary JSON: Connect clients send {@code connect-protocol-version}.
   */
  static boolean isTripleJson(Http2Headers headers) {
    return !headers.contains(CONNECT_PROTOCOL_VERSION);
  }

  /**
   * Why {@code call} cannot be served as Triple JSON (no such method, a method that streams, a
   * method without JSON), or null if it can.
   */
  static RequestRejection refusal(ServerCallDispatcher dispatcher, IncomingCall call) {
    MethodType type = dispatcher.methodType(call);
    if (type == null) {
      return RequestRejection.json(404, dispatcher.unimplemented(call));
    }
    if (type != MethodType.UNARY) {
      return RequestRejection.json(
          400,
          Status.UNIMPLEMENTED.withDescription(
              "Method "
                  + call.path().substring(1)
                  + " streams ("
                  + type
                  + "): application/json carries one message; call it with"
                  + " application/grpc+json"));
    }
    Status jsonUnsupported = dispatcher.jsonUnsupported(call);
    return jsonUnsupported == null ? null : RequestRejection.json(415, jsonUnsupported);
  }

  void holdHeaders(Metadata headers) {
    responseHeaders.merge(headers);
  }

  /** Keeps the reply of {@code framed} (gRPC frames, of which the first counts) and releases it. */
  void holdReply(ByteBuf framed) {
    try {
      if (reply == null && framed.readableBytes() >= MessageFramer.HEADER_LENGTH) {
        int length = framed.getInt(framed.readerIndex() + 1);
        reply = new byte[length];
        framed.getBytes(framed.readerIndex() + MessageFramer.HEADER_LENGTH, reply);
      }
    } finally {
      framed.release();
    }
  }

  /** The headers of the answer: {@code status}'s HTTP status, and the call's metadata. */
  Http2Headers responseHeaders(Status status, Metadata trailers) {
    Http2Headers headers =
        new DefaultHttp2Headers(false)
            .status(AsciiString.of(Integer.toString(HttpStatusMapping.toHttpStatus(status.code()))))
            .add(GrpcHeaders.CONTENT_TYPE, APPLICATION_JSON);
    if (!status.isOk()) {
      headers.add(GrpcHeaders.GRPC_STATUS, AsciiString.of(Integer.toString(status.code().value())));
    }
    MetadataCodec.addTo(headers, responseHeaders);
    MetadataCodec.addTo(headers, trailers);
    return headers;
  }

  /** The body of the answer: the reply, or the error in JSON. */
  ByteBuf responseBody(Status status) {
    if (!status.isOk()) {
      return Unpooled.wrappedBuffer(JsonError.of(status));
    }
    return reply == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply);
  }
}
