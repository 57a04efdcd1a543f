package io.tri4j.internal.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.ConnectEndStream;
import io.tri4j.internal.codec.ConnectError;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.UnaryBody;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One Connect call over HTTP/1.1. The whole request body is read first: the bare message of a unary
 * call, or a stream's envelopes (so client streams are served, as one batch). A unary response is
 * held until the call ends and sent whole, its trailers as {@code trailer-} headers; a stream's
 * response is a chunked body of envelopes ending with the end message.
 */
final class Http1ConnectStream extends Http1FramedCall {
  private final Connect type;

  // Event-loop state.
  private boolean headersSent;
  private final Metadata responseHeaders = new Metadata();
  private Compression responseCompression;
  private OutboundMessage unaryMessage;

  /** {@code requestBody} is the POST's body, or the GET's message. */
  Http1ConnectStream(
      ChannelHandlerContext ctx,
      WriteQueue writeQueue,
      AcceptedRequest request,
      byte[] requestBody,
      int maxInboundMessageSize,
      TransportStats stats,
      boolean keepAlive,
      CallLimit callLimit,
      Runnable onComplete) {
    super(
        ctx,
        writeQueue,
        request.connect().streaming
            ? ByteBuffer.wrap(requestBody)
            : UnaryBody.of(requestBody).framed(request.compression() != null),
        request.compression(),
        maxInboundMessageSize,
        stats,
        keepAlive,
        callLimit,
        onComplete);
    this.type = request.connect();
  }

  /** The HTTP/1.1 form of a request refused from its headers. */
  static FullHttpResponse refusal(RequestRejection rejection, boolean keepAlive) {
    byte[] body = rejection.body();
    Http2Headers h2 = rejection.headers();
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(Integer.parseInt(h2.status().toString())),
            body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    for (Map.Entry<CharSequence, CharSequence> header : h2) {
      if (header.getKey().charAt(0) != ':') {
        response.headers().add(header.getKey(), header.getValue());
      }
    }
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, "close");
    }
    return response;
  }

  // ---- ServerStream (any thread) ----

  @Override
  public void writeHeaders(Metadata headers, Compression compression) {
    Metadata copy = new Metadata(headers);
    enqueue(
        () -> {
          responseHeaders.merge(copy);
          responseCompression = compression;
        });
  }

  @Override
  public void writeMessage(OutboundMessage message) {
    if (!type.streaming) {
      enqueue(() -> unaryMessage = message);
      return;
    }
    writeFramed(message);
  }

  // ---- event loop ----

  @Override
  void sendResponseHeaders() {
    if (headersSent) {
      return;
    }
    headersSent = true;
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, type.contentType);
    headers.set(Connect.STREAM_ACCEPT_ENCODING, GrpcHeaders.ACCEPT_ENCODINGS);
    if (responseCompression != null) {
      headers.set(Connect.STREAM_CONTENT_ENCODING, responseCompression.encoding());
    }
    HttpUtil.setTransferEncodingChunked(response, true);
    Http1Metadata.addTo(headers, responseHeaders);
    ctx.write(response);
  }

  @Override
  void finish(Status status, Metadata trailers) {
    if (!complete()) {
      return;
    }
    if (type.streaming) {
      sendResponseHeaders();
      ctx.write(
          new DefaultHttpContent(Unpooled.wrappedBuffer(ConnectEndStream.frame(status, trailers))));
      ctx.writeAndFlush(new DefaultLastHttpContent()).addListener(done());
      return;
    }
    FullHttpResponse response = unaryResponse(status, trailers);
    HttpHeaders headers = response.headers();
    headers.set(Connect.ACCEPT_ENCODING, GrpcHeaders.ACCEPT_ENCODINGS);
    Http1Metadata.addTo(headers, responseHeaders);
    Http1Metadata.addTo(headers, Connect.unaryTrailers(trailers, status));
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, "close");
    }
    ctx.writeAndFlush(response).addListener(done());
  }

  private FullHttpResponse unaryResponse(Status status, Metadata trailers) {
    if (!status.isOk()) {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(ConnectError.httpStatus(status.code())),
              Unpooled.wrappedBuffer(ConnectError.json(status, trailers)));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, Connect.ERROR_CONTENT_TYPE);
      return response;
    }
    byte[] body;
    try {
      body = unaryMessage == null ? new byte[0] : unaryMessage.toByteArray();
    } catch (java.io.IOException e) {
      throw Frames.serializationFailed(e);
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type.contentType);
    // Compressed or not by the request's accept-encoding: caches of GET responses must know.
    response.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
    if (unaryMessage != null && unaryMessage.compressed()) {
      response.headers().set(Connect.CONTENT_ENCODING, responseCompression.encoding());
    }
    return response;
  }
}
