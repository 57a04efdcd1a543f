package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
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
import io.tri4j.internal.call.ServerStreamListener;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.GrpcMessageEncoding;
import io.tri4j.internal.codec.MessageDeframer;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One gRPC-Web call over HTTP/1.1: the whole request body (its messages, already decoded from
 * base64 for grpc-web-text) is read first, then the response is a chunked body of frames that ends
 * with the trailers frame; a response that is only a status carries it in its headers.
 */
final class Http1GrpcWebStream implements Http1Call, MessageDeframer.Listener {
  private final ChannelHandlerContext ctx;
  private final WriteQueue writeQueue;
  private final GrpcWeb web;
  private final ByteBuffer requestBody;
  private final MessageDeframer deframer;
  private final boolean keepAlive;
  private final CallLimit callLimit;
  private final Runnable onComplete;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  ServerStreamListener listener;

  // Event-loop state.
  private boolean bodyRead;
  private boolean headersSent;
  private boolean completed;
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
    this.ctx = ctx;
    this.writeQueue = writeQueue;
    this.web = web;
    this.requestBody = ByteBuffer.wrap(requestBody);
    this.deframer = new MessageDeframer(this, maxInboundMessageSize, stats);
    deframer.setDecompression(compression);
    this.keepAlive = keepAlive;
    this.callLimit = callLimit;
    this.onComplete = onComplete;
  }

  // ---- ServerStream (any thread) ----

  @Override
  public void request(int n) {
    enqueue(() -> deliver(n));
  }

  @Override
  public void writeHeaders(Metadata headers, Compression compression) {
    Metadata copy = new Metadata(headers);
    enqueue(() -> responseHeaders.merge(copy));
  }

  @Override
  public void writeMessage(OutboundMessage message) {
    ByteBuf framed = Frames.frame(message, writeQueue.alloc());
    enqueue(() -> sendMessage(framed), framed::release);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    enqueue(() -> finish(status, trailers));
  }

  @Override
  public void cancel(Status status) {
    enqueue(() -> cancelNow(status));
  }

  @Override
  public boolean isReady() {
    return ctx.channel().isWritable() && !cancelled.get();
  }

  private void enqueue(Runnable command) {
    enqueue(command, () -> {});
  }

  private void enqueue(Runnable command, Runnable onRejected) {
    writeQueue.enqueue(
        command,
        () -> {
          onRejected.run();
          cancelled(Status.UNAVAILABLE.withDescription("The server has shut down"));
        });
  }

  // ---- event loop ----

  @Override
  public void cancelNow(Status status) {
    finish(status, new Metadata());
    cancelled(status);
  }

  @Override
  public void cancelled(Status status) {
    complete();
    if (cancelled.compareAndSet(false, true) && listener != null) {
      listener.onCancel(status);
    }
  }

  @Override
  public void onWritabilityChanged() {
    if (listener != null && ctx.channel().isWritable() && !completed) {
      listener.onReady();
    }
  }

  private void deliver(int n) {
    if (completed || listener == null) {
      return;
    }
    deframer.request(n);
    if (!bodyRead) {
      bodyRead = true;
      deframer.deframe(requestBody);
      deframer.closeWhenComplete();
    }
  }

  private void sendMessage(ByteBuf framed) {
    if (completed) {
      framed.release();
      return;
    }
    sendHeaders();
    ctx.write(new DefaultHttpContent(web.encode(framed)));
  }

  private void sendHeaders() {
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

  /** The call is over, answered or cancelled: it no longer counts against the server's limit. */
  private void complete() {
    if (!completed) {
      completed = true;
      callLimit.release();
      deframer.close();
    }
  }

  private void finish(Status status, Metadata trailers) {
    if (completed) {
      return;
    }
    complete();
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

  private ChannelFutureListener done() {
    return f -> {
      if (keepAlive && f.isSuccess()) {
        onComplete.run();
      } else {
        f.channel().close();
      }
    };
  }

  // ---- MessageDeframer.Listener (event loop) ----

  @Override
  public void messageRead(WireMessage message) {
    if (listener != null && !completed) {
      listener.onMessage(message);
    }
  }

  @Override
  public void bytesProcessed(int count) {
    // The body is read whole: no flow control to credit.
  }

  @Override
  public void endOfStream() {
    if (listener != null && !completed) {
      listener.onHalfClose();
    }
  }

  @Override
  public void deframeFailed(Status status) {
    cancelNow(status);
  }
}
