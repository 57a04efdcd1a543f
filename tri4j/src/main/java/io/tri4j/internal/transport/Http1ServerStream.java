package io.tri4j.internal.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.call.ServerStreamListener;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.HttpStatusMapping;
import io.tri4j.internal.codec.JsonError;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call over HTTP/1.1 + JSON: the request body is the one JSON request; a unary response is one
 * JSON body, a server stream is Server-Sent Events ({@code data: <json>} per message). A failure is
 * a JSON error body with the HTTP status that stands for its gRPC code, or, once events have been
 * sent, a final {@code event: error}.
 */
final class Http1ServerStream implements Http1Call {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR_EVENT =
      "event: error\ndata: ".getBytes(StandardCharsets.US_ASCII);

  private final ChannelHandlerContext ctx;
  private final WriteQueue writeQueue;
  private final byte[] requestBody;
  private final boolean serverStreaming;
  private final boolean keepAlive;
  private final CallLimit callLimit;
  private final Runnable onComplete;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  ServerStreamListener listener;

  // Event-loop state.
  private boolean delivered;
  private boolean headersSent;
  private boolean completed;
  private byte[] unaryBody;
  private final Metadata responseHeaders = new Metadata();

  Http1ServerStream(
      ChannelHandlerContext ctx,
      WriteQueue writeQueue,
      byte[] requestBody,
      boolean serverStreaming,
      boolean keepAlive,
      CallLimit callLimit,
      Runnable onComplete) {
    this.ctx = ctx;
    this.writeQueue = writeQueue;
    this.requestBody = requestBody;
    this.serverStreaming = serverStreaming;
    this.keepAlive = keepAlive;
    this.callLimit = callLimit;
    this.onComplete = onComplete;
  }

  // ---- ServerStream (any thread) ----

  @Override
  public void request(int n) {
    enqueue(this::deliver);
  }

  @Override
  public void writeHeaders(Metadata headers, Compression compression) {
    Metadata copy = new Metadata(headers);
    enqueue(() -> responseHeaders.merge(copy));
  }

  @Override
  public void writeMessage(OutboundMessage message) {
    byte[] bytes;
    try {
      bytes = message.toByteArray();
    } catch (java.io.IOException e) {
      throw Frames.serializationFailed(e);
    }
    enqueue(() -> sendMessage(bytes));
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
    writeQueue.enqueue(
        command, () -> cancelled(Status.UNAVAILABLE.withDescription("The server has shut down")));
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

  private void deliver() {
    if (delivered || completed || listener == null) {
      return;
    }
    delivered = true;
    listener.onMessage(WireMessage.plain(requestBody));
    if (!completed) {
      listener.onHalfClose();
    }
  }

  private void sendMessage(byte[] json) {
    if (completed) {
      return;
    }
    if (!serverStreaming) {
      unaryBody = json;
      return;
    }
    if (!headersSent) {
      headersSent = true;
      HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
      HttpUtil.setTransferEncodingChunked(response, true);
      Http1Metadata.addTo(response.headers(), responseHeaders);
      ctx.write(response);
    }
    ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(DATA, json, EVENT_END)));
  }

  /** The call is over, answered or cancelled: it no longer counts against the server's limit. */
  private void complete() {
    if (!completed) {
      completed = true;
      callLimit.release();
    }
  }

  private void finish(Status status, Metadata trailers) {
    if (completed) {
      return;
    }
    complete();
    if (headersSent) {
      // Server-Sent Events under way: the status can only be a last event.
      if (!status.isOk()) {
        ctx.write(
            new DefaultHttpContent(
                Unpooled.wrappedBuffer(ERROR_EVENT, JsonError.of(status), EVENT_END)));
      }
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(done());
      return;
    }
    FullHttpResponse response;
    if (status.isOk()) {
      byte[] body = serverStreaming || unaryBody == null ? new byte[0] : unaryBody;
      response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
      response
          .headers()
          .set(
              HttpHeaderNames.CONTENT_TYPE,
              serverStreaming ? "text/event-stream" : "application/json");
    } else {
      response = Http1Handler.jsonError(status, HttpStatusMapping.toHttpStatus(status.code()));
    }
    Http1Metadata.addTo(response.headers(), responseHeaders);
    Http1Metadata.addTo(response.headers(), trailers);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    ctx.writeAndFlush(response).addListener(done());
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
}
