package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
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
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.GrpcMessageEncoding;
import io.tri4j.internal.codec.OutboundMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One gRPC-Web call over HTTP/1.1: the whole request body (its messages, already decoded from
 * base64 for grpc-web-text) is read first, then the response is a chunked body of frames that ends
 * with the trailers frame; a response that is only a status carries it in its headers.
 */
final class Http1GrpcWebStream extends Http1FramedCall {
  private final GrpcWeb web;

  // Event-loop state.
  private boolean headersSent;
  private final Metadata responseHeaders = new Metadata();

  Http1GrpcWebStream(
      ChannelHandlerContext ctx,
      WriteQueue writeQueue,
      GrpcWeb web,
      byte[] requestBody,
      Compression compression,
      int maxInboundMessageSize,
      TransportStats stats,
      boolean keepAlive,
      CallLimit callLimit,
      Runnable onComplete) {
    super(
        ctx,
        writeQueue,
        ByteBuffer.wrap(requestBody),
        compression,
        maxInboundMessageSize,
        stats,
        keepAlive,
        callLimit,
        onComplete);
    this.web = web;
  }

  // ---- ServerStream (any thread) ----

  @Override
  public void writeHeaders(Metadata headers, Compression compression) {
    Metadata copy = new Metadata(headers);
    enqueue(() -> responseHeaders.merge(copy));
  }

  @Override
  public void writeMessage(OutboundMessage message) {
    writeFramed(message);
  }

  // ---- event loop ----

  @Override
  ByteBuf encode(ByteBuf framed) {
    return web.encode(framed);
  }

  @Override
  void sendResponseHeaders() {
    if (headersSent) {
      return;
    }
    headersSent = true;
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, web.contentType);
    HttpUtil.setTransferEncodingChunked(response, true);
    Http1Metadata.addTo(response.headers(), responseHeaders);
    ctx.write(response);
  }

  @Override
  void finish(Status status, Metadata trailers) {
    if (!complete()) {
      return;
    }
    if (headersSent) {
      ctx.write(new DefaultHttpContent(web.trailers(status, trailers)));
      ctx.writeAndFlush(new DefaultLastHttpContent()).addListener(done());
      return;
    }
    FullHttpResponse response = trailersOnly(web, status, keepAlive);
    Http1Metadata.addTo(response.headers(), responseHeaders);
    Http1Metadata.addTo(response.headers(), trailers);
    ctx.writeAndFlush(response).addListener(done());
  }

  /** A response that is only {@code status}, in its headers, with an empty body. */
  static FullHttpResponse trailersOnly(GrpcWeb web, Status status, boolean keepAlive) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, web.contentType);
    headers.set(GrpcHeaders.GRPC_STATUS, Integer.toString(status.code().value()));
    if (status.description() != null) {
      headers.set(
          GrpcHeaders.GRPC_MESSAGE,
          new String(GrpcMessageEncoding.encode(status.description()), StandardCharsets.US_ASCII));
    }
    HttpUtil.setContentLength(response, 0);
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, "close");
    }
    return response;
  }
}
