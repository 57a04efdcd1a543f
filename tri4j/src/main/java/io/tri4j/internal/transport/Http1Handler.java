package io.tri4j.internal.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tri4j.MethodType;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.call.IncomingCall;
import io.tri4j.internal.call.ServerCallDispatcher;
import io.tri4j.internal.codec.Base64Chunks;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.GrpcTimeout;
import io.tri4j.internal.codec.JsonError;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls over HTTP/1.1 with JSON, one at a time per connection: {@code POST /service/method} with
 * {@code Content-Type: application/json}. Unary methods answer with JSON, server-streaming methods
 * with Server-Sent Events; methods that stream requests need HTTP/2 and are refused with a 400 that
 * says so. Every refusal is a JSON error body; the connection stays usable. gRPC-Web ({@link
 * Http1GrpcWebStream}) and the Connect protocol ({@link Http1ConnectStream}, POST and GET) are
 * served too, each refusing in its own form.
 *
 * <p>Pipelined requests wait their turn, so that answers go out in the order of the requests. While
 * a call runs and nothing waits, the connection is still read: a client that goes away is seen at
 * once, and its call cancelled. Calls count in the server's {@link CallLimit}.
 */
final class Http1Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(Http1Handler.class);

  /** How long a refused upload may keep draining before the connection is closed anyway. */
  static final long LINGER_MILLIS = 2_000;

  private final ServerCallDispatcher dispatcher;
  private final CallLimit callLimit;
  private WriteQueue writeQueue;
  private Http1Call current;

  /** Requests pipelined behind the current call, each retained; reading pauses while any waits. */
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>(0);

  private ChannelHandlerContext ctx;
  private boolean closing;

  private final int maxInboundMessageSize;
  private final TransportStats stats;
  private final StaticResources staticResources; // null: no files served
  private CallClock clock;
  private final long maxDeadlineNanos;

  /**
   * A handler that answers GET and HEAD with {@code staticResources} (null: none). Calls' deadlines
   * are on {@code clock} (null: the system clock, timed on the connection's thread); each call's is
   * at most the server's cap, {@code maxDeadlineNanos} ({@link Deadline#NO_TIMEOUT} for none).
   */
  Http1Handler(
      ServerCallDispatcher dispatcher,
      CallLimit callLimit,
      int maxInboundMessageSize,
      TransportStats stats,
      StaticResources staticResources,
      CallClock clock,
      long maxDeadlineNanos) {
    this.dispatcher = dispatcher;
    this.callLimit = callLimit;
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.stats = stats;
    this.staticResources = staticResources;
    this.clock = clock;
    this.maxDeadlineNanos = maxDeadlineNanos;
  }

  /** The aggregator in front of this handler: a body over the limit gets a JSON 413. */
  static HttpObjectAggregator aggregator(int maxBody) {
    return new HttpObjectAggregator(maxBody) {
      @Override
      protected void handleOversizedMessage(
          ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpMessage oversized) {
        Status status =
            Status.RESOURCE_EXHAUSTED.withDescription(
                "Request body is larger than the limit of " + maxBody + " bytes");
        boolean connect =
            Connect.of(
                    oversized.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    oversized.headers().get(Connect.PROTOCOL_VERSION))
                != null;
        FullHttpResponse response =
            connect
                ? Http1ConnectStream.refusal(RequestRejection.connect(status, 413), true)
                : jsonError(status, 413);
        // The rest of the body is not parsed: the connection cannot carry another request.
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(f -> lingeringClose(ctx.channel()));
      }
    };
  }

  /**
   * Closes a connection whose peer may still be sending a body. Closing a socket with unread input
   * makes the kernel send a reset, and a reset can destroy the response before the client reads it.
   * So the output is shut first, the aggregator discards what still arrives, and the socket is
   * closed when the client closes its side or after {@link #LINGER_MILLIS}.
   */
  static void lingeringClose(Channel channel) {
    if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
      channel.close();
      return;
    }
    duplex.config().setAutoRead(true);
    duplex
        .shutdownOutput()
        .addListener(
            f ->
                channel
                    .eventLoop()
                    .schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS));
  }

  static FullHttpResponse jsonError(Status status, int httpStatus) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(httpStatus),
            Unpooled.wrappedBuffer(JsonError.of(status)));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    response.headers().set("grpc-status", Integer.toString(status.code().value()));
    HttpUtil.setContentLength(response, response.content().readableBytes());
    return response;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    writeQueue = new WriteQueue(ctx.channel());
    if (clock == null) {
      clock = CallClock.system(ctx::executor);
    }
  }

  /** Closes the connection now if no call is under way, else once it has been answered. */
  void closeGracefully() {
    closing = true;
    if (current == null) {
      ctx.close();
    }
  }

  /** Ends the call under way, if any, with {@code status}, and closes the connection now. */
  void cancelCallAndClose(Status status) {
    if (current != null) {
      current.cancelNow(status);
      current = null;
    }
    ctx.close();
  }

  /**
   * Serves {@code request} now if nothing is under way and the client has read what it was sent;
   * else it waits its turn, and the connection is read no further meanwhile. A client that sends
   * requests without reading the answers (a file, a refusal) so stops being read once its answers
   * fill the channel, instead of having each answered into a buffer that only grows.
   */
  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (current != null || !waiting.isEmpty() || !ctx.channel().isWritable()) {
      waiting.add(request.retain());
      ctx.channel().config().setAutoRead(false); // one waiting is enough: the client waits too
      return;
    }
    serve(ctx, request);
  }

  /** The current call is answered: serves the requests that waited, until one starts a call. */
  private void callDone() {
    current = null;
    if (closing) {
      ctx.close();
      return;
    }
    serveWaiting();
  }

  /**
   * Serves the requests that waited, until one starts a call or the channel is full; reads on once
   * none waits.
   */
  private void serveWaiting() {
    FullHttpRequest next;
    while (current == null && ctx.channel().isWritable() && (next = waiting.poll()) != null) {
      try {
        serve(ctx, next);
      } catch (RuntimeException e) {
        // Run from the answer's write listener, where Netty would log it and go on with the
        // connection never read again: a fault here, so the connection ends.
        log.warn(
            "Closing the HTTP/1.1 connection with {} after an unexpected error",
            ctx.channel().remoteAddress(),
            e);
        ctx.close();
        return;
      } finally {
        next.release();
      }
    }
    if (waiting.isEmpty()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!request.decoderResult().isSuccess()) {
      refuse(ctx, Status.INVALID_ARGUMENT.withDescription("Malformed HTTP request"), 400, false);
      return;
    }
    StaticResponse file = staticResources == null ? null : staticResources.answer(request);
    if (file != null) {
      send(ctx, file.toHttp1(), keepAlive);
      return;
    }
    String path;
    try {
      path = new QueryStringDecoder(request.uri()).path();
    } catch (IllegalArgumentException badEscape) {
      refuse(ctx, ConnectRequestReader.BAD_ESCAPE, 400, keepAlive);
      return;
    }
    Connect connect =
        Connect.of(
            request.headers().get(HttpHeaderNames.CONTENT_TYPE),
            request.headers().get(Connect.PROTOCOL_VERSION));
    if (connect != null && HttpMethod.POST.equals(request.method())) {
      serveConnect(ctx, request, path, connect, keepAlive);
      return;
    }
    if (HttpMethod.GET.equals(request.method()) && serveConnectGet(ctx, request, keepAlive)) {
      return;
    }
    if (!HttpMethod.POST.equals(request.method())) {
      FullHttpResponse response =
          jsonError(
              Status.UNIMPLEMENTED.withDescription(
                  "Method "
                      + request.method()
                      + " is not allowed: call POST "
                      + path
                      + " with a JSON body"),
              405);
      response.headers().set(HttpHeaderNames.ALLOW, "POST");
      send(ctx, response, keepAlive);
      return;
    }
    String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    GrpcWeb web = grpcWeb(contentType);
    if (web != null) {
      serveGrpcWeb(ctx, request, path, web, keepAlive);
      return;
    }
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      refuse(
          ctx,
          Status.INVALID_ARGUMENT.withDescription(
              "Content-Type "
                  + (contentType == null ? "is missing" : "'" + contentType + "' is not supported")
                  + ": over HTTP/1.1 send application/json or application/grpc-web+proto"
                  + " (or use HTTP/2 for gRPC)"),
          415,
          keepAlive);
      return;
    }
    String version = request.headers().get(GrpcHeaders.TRI_SERVICE_VERSION);
    String group = request.headers().get(GrpcHeaders.TRI_SERVICE_GROUP);
    IncomingCall call =
        new IncomingCall(
            path,
            Http1Metadata.fromHeaders(request.headers()),
            Deadline.capped(Deadline.NO_TIMEOUT, maxDeadlineNanos, clock),
            emptyToNull(version),
            emptyToNull(group),
            request.headers().get(HttpHeaderNames.HOST),
            ctx.channel().remoteAddress(),
            null,
            true,
            ServerAlpnHandler.peerOf(ctx.channel()));
    MethodType type = dispatcher.methodType(call);
    if (type == null) {
      refuse(ctx, dispatcher.unimplemented(call), 404, keepAlive);
      return;
    }
    if (type.clientStreaming()) {
      refuse(
          ctx,
          Status.UNIMPLEMENTED.withDescription(
              "Method "
                  + path.substring(1)
                  + " streams requests ("
                  + type
                  + "): call it over HTTP/2 with gRPC"),
          400,
          keepAlive);
      return;
    }
    Status jsonUnsupported = dispatcher.jsonUnsupported(call);
    if (jsonUnsupported != null) {
      refuse(ctx, jsonUnsupported, 415, keepAlive);
      return;
    }
    if (!callLimit.tryAcquire()) {
      refuse(ctx, callLimit.exhausted(), 429, keepAlive);
      return;
    }
    Http1ServerStream stream =
        new Http1ServerStream(
            ctx,
            writeQueue,
            ByteBufUtil.getBytes(request.content()),
            type.serverStreaming(),
            stats,
            keepAlive,
            callLimit,
            this::callDone);
    current = stream;
    stream.listener = dispatcher.startCall(call, stream);
  }

  /**
   * A gRPC-Web call: the request's frames are in its body (in base64 for grpc-web-text). Every
   * refusal is a gRPC-Web trailers-only response, and the connection stays usable.
   */
  private void serveGrpcWeb(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      String path,
      GrpcWeb web,
      boolean keepAlive) {
    byte[] body = ByteBufUtil.getBytes(request.content());
    Compression compression;
    try {
      String encoding = request.headers().get(GrpcHeaders.GRPC_ENCODING);
      compression = Compression.forEncoding(encoding);
      if (web.text) {
        Base64Chunks text = new Base64Chunks();
        ByteBuffer decoded = text.decode(ByteBuffer.wrap(body));
        text.finish();
        body = java.util.Arrays.copyOf(decoded.array(), decoded.remaining());
      }
    } catch (IllegalArgumentException e) {
      Status status =
          e.getMessage().startsWith("Request body")
              ? Status.INVALID_ARGUMENT.withDescription(e.getMessage())
              : Status.UNIMPLEMENTED.withDescription(e.getMessage());
      send(ctx, Http1GrpcWebStream.trailersOnly(web, status, keepAlive), keepAlive);
      return;
    }
    String timeout = request.headers().get(GrpcHeaders.GRPC_TIMEOUT);
    Deadline deadline;
    try {
      deadline =
          Deadline.capped(
              timeout == null ? Deadline.NO_TIMEOUT : GrpcTimeout.decode(timeout),
              maxDeadlineNanos,
              clock);
    } catch (IllegalArgumentException e) {
      Status status = Status.INTERNAL.withDescription(e.getMessage());
      send(ctx, Http1GrpcWebStream.trailersOnly(web, status, keepAlive), keepAlive);
      return;
    }
    IncomingCall call =
        new IncomingCall(
            path,
            Http1Metadata.fromHeaders(request.headers()),
            deadline,
            emptyToNull(request.headers().get(GrpcHeaders.TRI_SERVICE_VERSION)),
            emptyToNull(request.headers().get(GrpcHeaders.TRI_SERVICE_GROUP)),
            request.headers().get(HttpHeaderNames.HOST),
            ctx.channel().remoteAddress(),
            request.headers().get(GrpcHeaders.GRPC_ACCEPT_ENCODING),
            web.json,
            ServerAlpnHandler.peerOf(ctx.channel()));
    MethodType type = dispatcher.methodType(call);
    Status refusal = null;
    if (type == null) {
      refusal = dispatcher.unimplemented(call);
    } else if (type.clientStreaming()) {
      refusal =
          Status.UNIMPLEMENTED.withDescription(
              "Method "
                  + path.substring(1)
                  + " streams requests ("
                  + type
                  + "): over HTTP/1.1 gRPC-Web carries one request; call it over HTTP/2");
    } else if (!callLimit.tryAcquire()) {
      refusal = callLimit.exhausted();
    }
    if (refusal != null) {
      send(ctx, Http1GrpcWebStream.trailersOnly(web, refusal, keepAlive), keepAlive);
      return;
    }
    Http1GrpcWebStream stream =
        new Http1GrpcWebStream(
            ctx,
            writeQueue,
            web,
            body,
            compression,
            maxInboundMessageSize,
            stats,
            keepAlive,
            callLimit,
            this::callDone);
    current = stream;
    stream.listener = dispatcher.startCall(call, stream);
  }

  /** A Connect call; every refusal is Connect's error JSON, and the connection stays usable. */
  private void serveConnect(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      String path,
      Connect type,
      boolean keepAlive) {
    RequestHeaderReader.Result read =
        ConnectRequestReader.read(
            type,
            request.headers()::get,
            path,
            Http1Metadata.fromHeaders(request.headers()),
            request.headers().get(HttpHeaderNames.HOST),
            ctx.channel().remoteAddress(),
            ServerAlpnHandler.peerOf(ctx.channel()),
            clock,
            maxDeadlineNanos);
    startConnect(ctx, request, read, keepAlive);
  }

  /** Serves a Connect GET, or returns false if the GET is not Connect's. */
  private boolean serveConnectGet(
      ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
    RequestHeaderReader.Result read =
        ConnectRequestReader.readGet(
            request.headers()::get,
            request.uri(),
            () -> Http1Metadata.fromHeaders(request.headers()),
            request.headers().get(HttpHeaderNames.HOST),
            ctx.channel().remoteAddress(),
            ServerAlpnHandler.peerOf(ctx.channel()),
            clock,
            maxDeadlineNanos);
    if (read == null) {
      return false;
    }
    startConnect(ctx, request, read, keepAlive);
    return true;
  }

  private void startConnect(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      RequestHeaderReader.Result read,
      boolean keepAlive) {
    RequestRejection refusal =
        read instanceof RequestRejection rejected
            ? rejected
            : ConnectRequestReader.refusal(dispatcher, (AcceptedRequest) read);
    if (refusal == null && !callLimit.tryAcquire()) {
      refusal = ((AcceptedRequest) read).refuse(callLimit.exhausted());
    }
    if (refusal != null) {
      send(ctx, Http1ConnectStream.refusal(refusal, keepAlive), keepAlive);
      return;
    }
    AcceptedRequest accepted = (AcceptedRequest) read;
    Http1ConnectStream stream =
        new Http1ConnectStream(
            ctx,
            writeQueue,
            accepted,
            accepted.getMessage() != null
                ? accepted.getMessage()
                : ByteBufUtil.getBytes(request.content()),
            maxInboundMessageSize,
            stats,
            keepAlive,
            callLimit,
            this::callDone);
    current = stream;
    stream.listener = dispatcher.startCall(accepted.call(), stream);
  }

  /** The gRPC-Web body a content type asks for, or null if it is not gRPC-Web. */
  private static GrpcWeb grpcWeb(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return GrpcWeb.forContentType(type);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static void refuse(
      ChannelHandlerContext ctx, Status status, int http, boolean keepAlive) {
    send(ctx, jsonError(status, http), keepAlive);
  }

  private static void send(
      ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, "close");
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(response);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (current != null) {
      current.onWritabilityChanged();
    } else if (ctx.channel().isWritable() && !closing && ctx.channel().isActive()) {
      serveWaiting(); // the client read its answers: the requests held back meanwhile go on
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    FullHttpRequest request;
    while ((request = waiting.poll()) != null) {
      request.release();
    }
    if (current != null) {
      current.cancelled(Status.CANCELLED.withDescription("The HTTP/1.1 client disconnected"));
      current = null;
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
