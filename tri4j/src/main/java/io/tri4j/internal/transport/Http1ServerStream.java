package io.tri4j.internal.transport;

import io.netty.buffer.Unpooled;
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
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.HttpStatusMapping;
import io.tri4j.internal.codec.JsonError;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.UnaryBody;
import java.nio.charset.StandardCharsets;

/**
 * One call over HTTP/1.1 + JSON: the request body is the one JSON request; a unary response is one
 * JSON body, a server stream is Server-Sent Events ({@code data: <json>} per message). A failure is
 * a JSON error body with the HTTP status that stands for its gRPC code, or, once events have been
 * sent, a final {@code event: error}.
 */
final class Http1ServerStream extends Http1FramedCall {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR_EVENT =
      "event: error\ndata: ".getBytes(StandardCharsets.US_ASCII);

  private final boolean serverStreaming;

  // Event-loop state.
  private boolean headersSent;
  private byte[] unaryBody;
  private final Metadata responseHeaders = new Metadata();

  Http1ServerStream(
      ChannelHandlerContext ctx,
      WriteQueue writeQueue,
      byte[] requestBody,
      boolean serverStreaming,
      TransportStats stats,
      boolean keepAlive,
      CallLimit callLimit,
      Runnable onComplete) {
    // The body is the one request, framed as a message; the aggregator has limited its size.
    super(
        ctx,
        writeQueue,
        UnaryBody.of(requestBody).framed(false),
        null,
        Integer.MAX_VALUE,
        stats,
        keepAlive,
        callLimit,
        onComplete);
    this.serverStreaming = serverStreaming;
  }

  // ---- ServerStream (any thread) ----

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

  // ---- event loop ----

  private void sendMessage(byte[] json) {
    if (isCompleted()) {
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

  @Override
  void finish(Status status, Metadata trailers) {
    if (!complete()) {
      return;
    }
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
}
