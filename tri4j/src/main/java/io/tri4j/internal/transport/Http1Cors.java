package io.tri4j.internal.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * {@link Cors} on one HTTP/1.1 connection, between the HTTP codec and the aggregator: answers
 * preflights itself, and adds the CORS headers to each response to an allowed origin. Responses go
 * out in the order of the requests, so each request's origin waits in a queue for its response.
 * Browsers do not pipeline, so a preflight is answered as it arrives. Installed only when the
 * server has allowed origins.
 */
final class Http1Cors extends ChannelDuplexHandler {
  private static final String NONE = ""; // a request from no origin, or one not allowed

  private final Cors cors;
  private final ArrayDeque<String> origins = new ArrayDeque<>(2);
  private boolean discarding; // the body of a preflight

  Http1Cors(Cors cors) {
    this.cors = cors;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      String from = request.headers().get(HttpHeaderNames.ORIGIN);
      if (Cors.isPreflight(
          request.method().name(),
          from,
          request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD))) {
        answerPreflight(ctx, request, from);
        return;
      }
      origins.add(cors.allows(from) ? from : NONE);
    } else if (discarding && msg instanceof HttpContent) {
      discarding = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private void answerPreflight(ChannelHandlerContext ctx, HttpRequest request, String from) {
    discarding = !(request instanceof LastHttpContent);
    int status = cors.preflightStatus(from);
    FullHttpResponse answer =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    if (status == 204) {
      cors.addPreflightHeaders(
          from,
          request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS),
          answer.headers()::add);
    } else {
      HttpUtil.setContentLength(answer, 0);
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    ReferenceCountUtil.release(request);
    if (!keepAlive) {
      answer.headers().set(HttpHeaderNames.CONNECTION, "close");
      ctx.writeAndFlush(answer).addListener(f -> ctx.close());
    } else {
      ctx.writeAndFlush(answer);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response
        && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) { // not 100 Continue
      String from = origins.poll();
      if (from != null && !from.isEmpty()) {
        cors.addResponseHeaders(from, response.headers().names(), response.headers()::add);
      }
    }
    ctx.write(msg, promise);
  }
}
