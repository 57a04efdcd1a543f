package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.call.IncomingCall;
import io.tri4j.internal.call.ServerCallDispatcher;
import io.tri4j.internal.codec.Compression;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server end of one HTTP/2 connection: turns each new request stream into a call and carries
 * its responses. All methods run on the channel's event loop.
 */
final class NettyServerHandler extends NettyConnectionHandler<NettyServerStream> {

  /** Payload of the PING that ends the first phase of a graceful shutdown. */
  private static final long GRACEFUL_SHUTDOWN_PING = 0x74726934L; // "tri4"

  /** How long a connection that broke the protocol has to take its GOAWAY before it is cut. */
  private static final long ERROR_CLOSE_MILLIS = 1000;

  private boolean closingGracefully;
  private boolean closingOnError;
  private io.netty.util.concurrent.ScheduledFuture<?> gracefulPingTimeout;
  private final ServerCallDispatcher dispatcher;
  private final int maxInboundMessageSize;
  private CallClock clock;
  final TransportStats stats;
  private final CallLimit callLimit;
  private WriteQueue writeQueue;

  /**
   * The promise of the response headers and trailers: no one waits for their outcome, so the
   * encoder writes them without a promise of their own ({@link DirectFrameEncoder#writeHeaders}); a
   * write the channel fails later is not reported, as the connection is then broken and closes.
   */
  private ChannelPromise unheeded;

  /**
   * The promise of a stream's last DATA ({@link #writeLastData}): no one waits for it either, but a
   * direct write of it that fails is reported to the pipeline, and so to this handler, which closes
   * the connection on any failure ({@link NettyConnectionHandler#exceptionCaught}: an I/O or TLS
   * error quietly, anything else logged): the bytes were taken from the windows and the peer will
   * never return them.
   */
  private ChannelPromise unheededData;

  private final ServerKeepAlive keepAlive;
  private CallClock connectionClock; // keepalive, idle and age timers; apart from deadlines
  private KeepAliveEnforcer enforcer;
  private MaxConnectionIdleTimer idleTimer;
  private MaxConnectionAgeTimer ageTimer;
  private final StaticResources staticResources; // null: no files served
  private final long maxDeadlineNanos;
  private final RepeatedStrings strings = new RepeatedStrings(); // requests' paths, authorities

  NettyServerHandler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      ServerCallDispatcher dispatcher,
      int maxInboundMessageSize,
      int connectionWindow,
      CallClock clock,
      TransportStats stats,
      ServerKeepAlive keepAlive,
      CallClock connectionClock,
      CallLimit callLimit,
      long maxDeadlineNanos,
      StaticResources staticResources) {
    super(decoder, encoder, settings, connectionWindow);
    this.staticResources = staticResources;
    this.keepAlive = keepAlive;
    this.connectionClock = connectionClock;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.stats = stats;
    this.callLimit = callLimit;
    this.maxDeadlineNanos = maxDeadlineNanos;
    gracefulShutdownTimeoutMillis(
        -1); // A graceful close waits for every call; shutdownNow cuts it.
    decoder.frameListener(new FrameListener());
    if (keepAlive.maxIdleNanos() != ServerKeepAlive.NONE) {
      connection()
          .addListener(
              new Http2ConnectionAdapter() {
                @Override
                public void onStreamActive(Http2Stream stream) {
                  if (idleTimer != null && connection().numActiveStreams() == 1) {
                    idleTimer.onActive();
                  }
                }

                @Override
                public void onStreamClosed(Http2Stream stream) {
                  if (idleTimer != null && connection().numActiveStreams() == 0) {
                    idleTimer.onIdle();
                  }
                }
              });
    }
  }

  @Override
  void streamClosed(Http2Stream http2Stream, NettyServerStream stream) {
    callLimit.release();
    stream.transportClosed(
        Status.CANCELLED.withDescription("The stream closed before the call ended"));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.writeQueue = new WriteQueue(ctx.channel());
    this.unheeded = new VoidChannelPromise(ctx.channel(), false);
    this.unheededData = new VoidChannelPromise(ctx.channel(), true);
    if (clock == null) {
      clock = CallClock.system(ctx::executor); // deadlines timed on the connection's own thread
    }
    if (connectionClock == null) {
      connectionClock = CallClock.system(ctx::executor);
    }
    enforcer =
        new KeepAliveEnforcer(
            connectionClock, keepAlive.permitTimeNanos(), keepAlive.permitWithoutCalls());
    super.handlerAdded(ctx);
  }

  @Override
  void connectionStarted() {
    if (keepAlive.timeNanos() != ServerKeepAlive.NONE) {
      startKeepAlive(connectionClock, keepAlive.timeNanos(), keepAlive.timeoutNanos(), true);
    }
    if (keepAlive.maxIdleNanos() != ServerKeepAlive.NONE) {
      idleTimer =
          new MaxConnectionIdleTimer(
              connectionClock, keepAlive.maxIdleNanos(), this::closeGracefully);
      idleTimer.start();
    }
    if (keepAlive.maxAgeNanos() != ServerKeepAlive.NONE) {
      ageTimer =
          new MaxConnectionAgeTimer(
              connectionClock,
              keepAlive.maxAgeNanos(),
              keepAlive.maxAgeGraceNanos(),
              this::closeGracefully,
              this::closeNow);
      ageTimer.start();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (idleTimer != null) {
      idleTimer.stop();
    }
    if (ageTimer != null) {
      ageTimer.stop();
    }
    super.channelInactive(ctx);
  }

  /**
   * Closes the connection once its calls are done, without refusing a call the client may have sent
   * already: a GOAWAY that still accepts every stream, then a PING; once the PING comes back, every
   * stream the client opened before it saw the GOAWAY has arrived, and the connection closes when
   * they are done.
   */
  void closeGracefully() {
    if (closingGracefully || !ctx.channel().isActive()) {
      return;
    }
    closingGracefully = true;
    goAway(
        ctx,
        Integer.MAX_VALUE,
        Http2Error.NO_ERROR.code(),
        Unpooled.EMPTY_BUFFER,
        ctx.newPromise());
    encoder().writePing(ctx, false, GRACEFUL_SHUTDOWN_PING, ctx.newPromise());
    ctx.flush();
    // A client that never answers the PING does not hold the shutdown up.
    gracefulPingTimeout = ctx.executor().schedule(this::finishGracefulClose, 10, TimeUnit.SECONDS);
  }

  private void finishGracefulClose() {
    if (gracefulPingTimeout != null) {
      gracefulPingTimeout.cancel(false);
    }
    // The second GOAWAY names the last stream taken: the client retries later ones elsewhere.
    goAway(
        ctx,
        connection().remote().lastStreamCreated(),
        Http2Error.NO_ERROR.code(),
        Unpooled.EMPTY_BUFFER,
        ctx.newPromise());
    ctx.channel().close(); // Netty's close: waits for the active streams, then closes
  }

  @Override
  void keepAliveTimedOut(long timeoutNanos) {
    closeNow(); // the client is gone: its calls are cancelled
  }

  /**
   * After the GOAWAY of a connection error, reads no more and closes within {@value
   * #ERROR_CLOSE_MILLIS} ms: a flooding peer may never read the GOAWAY that Netty waits to write
   * before it closes, and every frame read meanwhile is work and memory. An error that is not
   * HTTP/2's (an I/O error on a write, a fault here, logged) is an INTERNAL_ERROR whose GOAWAY says
   * only that: Netty would send the exception's message, which is this server's business, to the
   * client.
   */
  @Override
  protected void onConnectionError(
      ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception http2Ex) {
    logUnexpected(ctx, cause, http2Ex);
    if (http2Ex == null) {
      http2Ex = Http2Exception.connectionError(Http2Error.INTERNAL_ERROR, cause, "internal error");
    }
    super.onConnectionError(ctx, outbound, cause, http2Ex);
    if (!closingOnError) {
      closingOnError = true;
      ctx.channel().config().setAutoRead(false);
      ctx.executor().schedule(this::closeNow, ERROR_CLOSE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * RFC 9113 (5.1): a frame other than WINDOW_UPDATE, PRIORITY or RST_STREAM on a stream the client
   * has ended is a STREAM_CLOSED stream error; Netty calls HEADERS there a PROTOCOL_ERROR. A stream
   * refused is told to {@link SkippedStreamIds}, which sees only the streams Netty made.
   */
  @Override
  protected void onStreamError(
      ChannelHandlerContext ctx,
      boolean outbound,
      Throwable cause,
      Http2Exception.StreamException http2Ex) {
    if (!outbound
        && connection() instanceof SkippedStreamIds ids
        && connection().stream(http2Ex.streamId()) == null) {
      ids.used(http2Ex.streamId()); // refused, or failed before Netty made it: used all the same
    }
    if (!outbound && http2Ex.error() == Http2Error.PROTOCOL_ERROR) {
      Http2Stream stream = connection().stream(http2Ex.streamId());
      if (stream != null
          && stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE
          && stream.getProperty(streamKey) != null) { // a request taken, then more after its end
        http2Ex =
            (Http2Exception.StreamException)
                Http2Exception.streamError(
                    http2Ex.streamId(),
                    Http2Error.STREAM_CLOSED,
                    "Stream %d received a frame after its END_STREAM",
                    http2Ex.streamId());
      }
    }
    super.onStreamError(ctx, outbound, cause, http2Ex);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (closingOnError) {
      in.skipBytes(in.readableBytes()); // frames after a connection error are not read
      return;
    }
    super.decode(ctx, in, out);
  }

  /** Closes the connection now; calls still running see it as a cancellation. */
  void closeNow() {
    ctx.close(); // from this handler's context: skips the graceful close above
  }

  /** Ends the calls still running with {@code status}, and closes the connection now. */
  void cancelCallsAndClose(Status status) {
    try {
      connection()
          .forEachActiveStream(
              http2Stream -> {
                NettyServerStream stream = http2Stream.getProperty(streamKey);
                if (stream != null) {
                  cancelStream(stream, status);
                }
                return true;
              });
    } catch (Http2Exception e) {
      // Not thrown by the visitor above; the connection closes below all the same.
    }
    closeNow();
  }

  // ---- commands ----

  void writeHeaders(NettyServerStream stream, Metadata metadata, Compression compression) {
    if (stream.isCompleted() || stream.headersSent) {
      return;
    }
    if (stream.tripleJson != null) {
      stream.tripleJson.holdHeaders(metadata); // sent with the status, which they must carry
      return;
    }
    enforcer.resetCounters();
    if (stream.connect != null) {
      stream.connect.writeHeaders(this, stream, metadata, compression);
      return;
    }
    stream.headersSent = true;
    Http2Headers headers;
    GrpcWeb web = stream.web;
    if (compression == null && metadata.isEmpty()) {
      headers =
          web != null
              ? web.responseHeaders
              : stream.json ? GrpcHeaders.JSON_RESPONSE_HEADERS : GrpcHeaders.RESPONSE_HEADERS;
    } else {
      headers = web != null ? web.newResponseHeaders() : responseHeaders(stream.json);
      if (compression != null) {
        headers.add(GrpcHeaders.GRPC_ENCODING, AsciiString.of(compression.encoding()));
      }
      MetadataCodec.addTo(headers, metadata);
    }
    encoder().writeHeaders(ctx, stream.http2Stream.id(), headers, 0, false, unheeded);
  }

  /**
   * Writes {@code framed}, {@code size} bytes of the stream's messages, in the stream's protocol;
   * {@code last} if the stream's end is written right after it.
   */
  void writeMessage(NettyServerStream stream, ByteBuf framed, int size, boolean last) {
    if (stream.isCompleted()) {
      framed.release();
      stream.onSent(size);
      return;
    }
    if (stream.tripleJson != null) {
      stream.tripleJson.holdReply(framed);
      stream.onSent(size);
      return;
    }
    if (stream.connect != null && stream.connect.holdMessage(stream, framed, size)) {
      return;
    }
    if (!stream.headersSent) {
      writeHeaders(stream, new Metadata(), null);
    }
    enforcer.resetCounters();
    ByteBuf data = stream.web == null ? framed : stream.web.encode(framed);
    if (last && size > 0) {
      writeLastData(stream, data, size);
    } else {
      writeData(stream, stream.http2Stream.id(), data, false, size);
    }
  }

  /**
   * Writes the last DATA of {@code stream}, whose end is written right after it, with no promise:
   * nothing waits for its stream to drain any more. Written at once (its bytes then count as sent
   * at once), it costs no promise; if Netty's flow controller must take it, the encoder gives it a
   * promise of its own, and its bytes count as sent when that completes.
   */
  private void writeLastData(NettyServerStream stream, ByteBuf data, int size) {
    ChannelFuture written =
        encoder().writeData(ctx, stream.http2Stream.id(), data, 0, false, unheededData);
    if (written.isVoid()) {
      stream.onLastSent(size);
    } else {
      written.addListener(f -> stream.onLastSent(size));
    }
  }

  void closeStream(NettyServerStream stream, Status status, Metadata metadata) {
    if (!stream.complete()) {
      return;
    }
    if (metadata == null) {
      metadata = MetadataCodec.NO_TRAILERS;
    }
    if (stream.web != null) {
      closeGrpcWeb(stream, status, metadata);
      return;
    }
    if (stream.tripleJson != null) {
      int id = stream.http2Stream.id();
      Http2Headers headers = stream.tripleJson.responseHeaders(status, metadata);
      encoder().writeHeaders(ctx, id, headers, 0, false, ctx.newPromise());
      encoder()
          .writeData(ctx, id, stream.tripleJson.responseBody(status), 0, true, ctx.newPromise());
      return;
    }
    if (stream.connect != null) {
      stream.connect.close(this, stream, status, metadata);
      return;
    }
    Http2Headers trailers;
    if (stream.headersSent && status.isOk() && status.description() == null && metadata.isEmpty()) {
      trailers = GrpcHeaders.OK_TRAILERS;
    } else {
      trailers =
          stream.headersSent
              ? GrpcHeaders.addStatus(new DefaultHttp2Headers(false), status)
              : GrpcHeaders.trailersOnly(status);
      MetadataCodec.addTo(trailers, metadata);
    }
    encoder().writeHeaders(ctx, stream.http2Stream.id(), trailers, 0, true, unheeded);
  }

  /**
   * gRPC-Web has no HTTP trailers: the status is the body's last frame, or, if nothing was sent, in
   * the only headers.
   */
  private void closeGrpcWeb(NettyServerStream stream, Status status, Metadata metadata) {
    int id = stream.http2Stream.id();
    if (stream.headersSent) {
      encoder()
          .writeData(ctx, id, stream.web.trailers(status, metadata), 0, true, ctx.newPromise());
    } else {
      Http2Headers headers = stream.web.trailersOnly(status);
      MetadataCodec.addTo(headers, metadata);
      encoder().writeHeaders(ctx, id, headers, 0, true, ctx.newPromise());
    }
  }

  /**
   * The call layer ends the call (its deadline passed): tell the client, stop reading, and fail the
   * handler's reads and writes.
   */
  void cancelStream(NettyServerStream stream, Status status) {
    if (stream.isCompleted()) {
      return;
    }
    closeStream(stream, status, new Metadata());
    if (stream.http2Stream.state().remoteSideOpen()) {
      encoder()
          .writeRstStream(ctx, stream.http2Stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
    }
    ctx.channel().flush();
    if (stream.listener != null) {
      stream.listener.onCancel(status);
    }
  }

  private static Http2Headers responseHeaders(boolean json) {
    return new DefaultHttp2Headers(false)
        .status(GrpcHeaders.STATUS_200)
        .add(
            GrpcHeaders.CONTENT_TYPE,
            json ? GrpcHeaders.APPLICATION_GRPC_JSON : GrpcHeaders.APPLICATION_GRPC)
        .add(GrpcHeaders.GRPC_ACCEPT_ENCODING, GrpcHeaders.ACCEPT_ENCODINGS);
  }

  /** Answers a request refused from its headers; the stream ends with the answer. */
  private void reject(int streamId, RequestRejection rejection) {
    byte[] body = rejection.body();
    encoder().writeHeaders(ctx, streamId, rejection.headers(), 0, body == null, ctx.newPromise());
    if (body != null) {
      encoder().writeData(ctx, streamId, Unpooled.wrappedBuffer(body), 0, true, ctx.newPromise());
    }
  }

  private final class FrameListener extends StreamFrameListener {
    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream) {
      NettyServerStream existing = stream(streamId);
      if (existing != null) {
        // Trailers from the client: they end its side of the stream.
        existing.onData(Unpooled.EMPTY_BUFFER, endOfStream);
        return;
      }
      Http2Stream http2Stream = connection().stream(streamId);
      if (http2Stream == null || http2Stream.isHeadersSent()) {
        // None, or a stream answered from its headers (refused, a file) and so ended on this side:
        // these are the client's trailers, which end its side. Read as a request, they would be
        // answered on a stream that can send no more, a connection error.
        return;
      }
      StaticResponse file = staticResources == null ? null : staticResources.answer(headers);
      if (file != null) {
        file.writeHttp2(ctx, encoder(), streamId);
        return;
      }
      RequestHeaderReader.Result read =
          RequestHeaderReader.read(
              headers,
              ctx.channel().remoteAddress(),
              ServerAlpnHandler.peerOf(ctx.channel()),
              clock,
              maxDeadlineNanos,
              strings);
      if (read instanceof AcceptedRequest a && a.tripleJson()) {
        RequestRejection refusal = TripleJsonExchange.refusal(dispatcher, a.call());
        read = refusal == null ? read : refusal;
      }
      if (read instanceof RequestRejection rejection) {
        reject(streamId, rejection);
        return;
      }
      AcceptedRequest accepted = (AcceptedRequest) read;
      RequestRejection refusal =
          accepted.connect() == null ? null : ConnectRequestReader.refusal(dispatcher, accepted);
      if (refusal != null) {
        reject(streamId, refusal);
        return;
      }
      if (!callLimit.tryAcquire()) {
        reject(streamId, accepted.refuse(callLimit.exhausted()));
        return;
      }
      IncomingCall call = accepted.call();
      NettyServerStream stream =
          new NettyServerStream(
              NettyServerHandler.this, writeQueue, http2Stream, maxInboundMessageSize);
      stream.json = call.json();
      stream.setGrpcWeb(accepted.web());
      stream.setConnect(accepted.connect(), accepted.getMessage(), maxInboundMessageSize);
      stream.setDecompression(accepted.compression());
      if (accepted.tripleJson()) {
        stream.setTripleJson(maxInboundMessageSize);
      }
      http2Stream.setProperty(streamKey, stream);
      stream.listener = dispatcher.startCall(call, stream);
      if (endOfStream) {
        stream.onData(Unpooled.EMPTY_BUFFER, true);
      }
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
      if (!enforcer.pingAcceptable(connection().numActiveStreams() > 0)) {
        // Netty sends this message as the GOAWAY's debug data, which gRPC clients read.
        throw Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM, "too_many_pings");
      }
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
      if (data == GRACEFUL_SHUTDOWN_PING && closingGracefully) {
        finishGracefulClose();
      }
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      NettyServerStream s = stream(streamId);
      if (s != null) {
        s.transportClosed(Http2Errors.toStatus(errorCode, "The client reset the stream"));
      }
    }
  }
}
