package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.StreamBufferingEncoder;
import io.netty.util.collection.IntObjectHashMap;
import io.tri4j.Status;
import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.call.CloseOrigin;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of one HTTP/2 connection: opens streams for calls and routes frames to them. All
 * methods run on the channel's event loop.
 */
final class NettyClientHandler extends NettyConnectionHandler<NettyClientStream> {
  /** How long calls get to end when the client closes their connection. */
  static final long CLOSE_GRACE_MILLIS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(NettyClientHandler.class);

  /** The debug data of the GOAWAY a server sends a client that pings too often. */
  private static final String TOO_MANY_PINGS = "too_many_pings";

  /** The connection's calls by stream id: open addressing, no entry object per call. */
  private final IntObjectHashMap<NettyClientStream> streams = new IntObjectHashMap<>();

  private final ClientKeepAlive keepAlive;
  private final Runnable onTooManyPings;
  private CallClock clock;
  private ChannelPromise ready;
  private volatile boolean goAwayReceived;

  /** The debug data of the server's GOAWAY, if it sent any. */
  static final io.netty.util.AttributeKey<String> GOAWAY_REASON =
      io.netty.util.AttributeKey.valueOf("tri4j.goAwayReason");

  /** {@code ": "} and what the server's GOAWAY said, or nothing. */
  static String goAwayReason(io.netty.channel.Channel channel) {
    String reason = channel.hasAttr(GOAWAY_REASON) ? channel.attr(GOAWAY_REASON).get() : null;
    return reason == null ? "" : ": " + reason;
  }

  /** Why this end closed the connection, for the calls it fails; null for a plain close. */
  private Status closeStatus;

  /**
   * A handler that pings as {@code keepAlive} says, timed on {@code clock} (null: the system clock,
   * on the channel's event loop), and runs {@code onTooManyPings} when the server says it pings too
   * often.
   */
  NettyClientHandler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      int connectionWindow,
      ClientKeepAlive keepAlive,
      CallClock clock,
      Runnable onTooManyPings) {
    super(decoder, encoder, settings, connectionWindow);
    this.keepAlive = keepAlive;
    this.clock = clock;
    this.onTooManyPings = onTooManyPings;
    gracefulShutdownTimeoutMillis(CLOSE_GRACE_MILLIS);
    decoder.frameListener(new FrameListener());
    connection()
        .addListener(
            new Http2ConnectionAdapter() {
              @Override
              public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
                if (debugData.isReadable()) {
                  // What the server says, such as that its port takes TLS only; kept on the
                  // channel for calls still waiting to connect, after this handler is gone.
                  ctx.channel()
                      .attr(GOAWAY_REASON)
                      .set(
                          debugData.toString(
                              debugData.readerIndex(),
                              Math.min(debugData.readableBytes(), 256),
                              java.nio.charset.StandardCharsets.UTF_8));
                }
                goAwayReceived = true;
                if (errorCode == Http2Error.ENHANCE_YOUR_CALM.code()
                    && TOO_MANY_PINGS.equals(debugData.toString(StandardCharsets.US_ASCII))) {
                  onTooManyPings.run();
                }
              }
            });
  }

  @Override
  void connectionStarted() {
    if (keepAlive.enabled()) {
      if (clock == null) {
        clock = CallClock.system(ctx::executor);
      }
      startKeepAlive(
          clock, keepAlive.timeNanos(), keepAlive.timeoutNanos(), keepAlive.withoutCalls());
    }
  }

  @Override
  void keepAliveTimedOut(long timeoutNanos) {
    closeStatus =
        Status.UNAVAILABLE.withDescription(
            "Keepalive ping timed out: the server did not answer within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms, so the connection is taken as lost");
    ctx.close(); // from this handler's context: at once, no graceful GOAWAY to a silent peer
  }

  @Override
  void streamClosed(Http2Stream stream, NettyClientStream s) {
    if (s.ended()) {
      return; // most streams: the trailers came first, so no status need be made
    }
    if (connection().goAwayReceived()
        && stream.id() > connection().local().lastStreamKnownByPeer()) {
      // Beyond the last stream the server's GOAWAY names: it never processed it.
      s.transportClosed(
          Status.UNAVAILABLE.withDescription(
              "The server is going away and did not take the call" + goAwayReason(ctx.channel())),
          CloseOrigin.REFUSED);
    } else if (closeStatus != null) {
      s.transportClosed(closeStatus, CloseOrigin.LOCAL);
    } else {
      s.transportClosed(
          Status.UNAVAILABLE.withDescription(
              "The HTTP/2 stream closed before the call ended" + goAwayReason(ctx.channel())),
          CloseOrigin.LOCAL);
    }
  }

  /** Completes once the connection preface is sent and streams may be opened. */
  ChannelFuture ready() {
    return ready;
  }

  /** Closes the connection once the streams it carries are done (no timeout). */
  void closeWhenIdle() {
    gracefulShutdownTimeoutMillis(-1);
    ctx.channel().close();
  }

  /**
   * Closes the connection, giving its calls {@code millis} to end, also when it was retired to
   * close once idle (Netty adds a timed close to the one that waits for the calls).
   */
  void closeWithin(long millis) {
    gracefulShutdownTimeoutMillis(millis);
    ctx.channel().close();
  }

  /** Whether new calls may still use this connection. */
  boolean acceptsNewStreams() {
    return !goAwayReceived && ctx != null && ctx.channel().isActive();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ready = ctx.newPromise();
    super.handlerAdded(ctx);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    ready.trySuccess();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ready.tryFailure(new java.nio.channels.ClosedChannelException());
    if (closeStatus == null) {
      // Before Netty closes the streams: their calls end saying that the connection closed.
      closeStatus =
          Status.UNAVAILABLE.withDescription("The connection closed" + goAwayReason(ctx.channel()));
    }
    try {
      super.channelInactive(ctx);
    } finally {
      closeAll(closeStatus);
    }
  }

  @Override
  protected void onConnectionError(
      ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception http2Ex) {
    logUnexpected(ctx, cause, http2Ex);
    log.debug("HTTP/2 connection error", cause);
    if (closeStatus == null) {
      // Before the GOAWAY closes the streams: their calls end saying why.
      String why =
          http2Ex != null
              ? "HTTP/2 connection error ("
                  + http2Ex.getMessage()
                  + "), so the client closed the connection"
              : cause instanceof java.nio.channels.ClosedChannelException
                  ? "The connection closed" + goAwayReason(ctx.channel())
                  : "The connection failed (" + cause + ")";
      closeStatus = Status.UNAVAILABLE.withDescription(why).withCause(cause);
    }
    if (http2Ex == null) {
      // Netty would send the exception's message to the server as the GOAWAY's debug text.
      http2Ex = Http2Exception.connectionError(Http2Error.INTERNAL_ERROR, cause, "internal error");
    }
    super.onConnectionError(ctx, outbound, cause, http2Ex);
  }

  @Override
  protected void onStreamError(
      ChannelHandlerContext ctx,
      boolean outbound,
      Throwable cause,
      Http2Exception.StreamException http2Ex) {
    // Before the reset closes the stream: the call ends saying what went wrong.
    NettyClientStream s = stream(http2Ex.streamId());
    if (s != null) {
      log.debug("HTTP/2 stream error", cause);
      s.transportClosed(
          outbound
              // A write that failed, mostly because the stream had closed meanwhile.
              ? Status.UNAVAILABLE.withDescription(
                  "The HTTP/2 stream closed before the call ended (" + http2Ex.getMessage() + ")")
              : Http2Errors.toStatus(
                  http2Ex.error().code(),
                  "The server's response broke HTTP/2 ("
                      + http2Ex.getMessage()
                      + "), so the client reset the stream"),
          CloseOrigin.LOCAL);
    }
    super.onStreamError(ctx, outbound, cause, http2Ex);
  }

  /** Fails every call on the connection with {@code status} (first come, first kept). */
  void closeAll(Status status) {
    for (NettyClientStream s : new ArrayList<>(streams.values())) {
      // Calls whose trailers arrived keep their buffered messages.
      s.transportClosed(status, CloseOrigin.LOCAL);
    }
  }

  void streamDone(NettyClientStream stream) {
    streams.remove(stream.id);
  }

  // ---- commands ----

  void createStream(NettyClientStream stream, Http2Headers headers) {
    if (!acceptsNewStreams()) {
      stream.closeWith(
          Status.UNAVAILABLE.withDescription(
              "The connection is closing" + goAwayReason(ctx.channel())),
          CloseOrigin.REFUSED);
      return;
    }
    int id = connection().local().incrementAndGetNextStreamId();
    if (id < 0) {
      goAwayReceived = true; // Out of stream ids: let the next call open a new connection.
      stream.closeWith(
          Status.UNAVAILABLE.withDescription("The connection ran out of stream ids"),
          CloseOrigin.REFUSED);
      return;
    }
    stream.id = id;
    streams.put(id, stream);
    OpenPromise promise = new OpenPromise(stream);
    encoder().writeHeaders(ctx, id, headers, 0, false, promise);
    attach(stream);
    promise.handedOver();
  }

  /** The promise of a stream's HEADERS, which acts on the write's outcome itself. */
  private final class OpenPromise extends CompletionPromise {
    private final NettyClientStream stream;

    OpenPromise(NettyClientStream stream) {
      super(ctx);
      this.stream = stream;
    }

    @Override
    void completed() {
      headersWritten(stream, this);
    }
  }

  /** The HEADERS that open {@code stream} were written, or failed ({@code f}). */
  private void headersWritten(NettyClientStream stream, ChannelFuture f) {
    if (f.isSuccess()) {
      attach(stream);
    } else {
      // A stream queued for a free slot that the connection's end overtook never left.
      boolean neverSent =
          f.cause() instanceof StreamBufferingEncoder.Http2GoAwayException
              || f.cause() instanceof StreamBufferingEncoder.Http2ChannelClosedException;
      stream.closeWith(
          Status.UNAVAILABLE
              .withDescription("Failed to open the stream: " + f.cause())
              .withCause(f.cause()),
          neverSent ? CloseOrigin.REFUSED : CloseOrigin.LOCAL);
    }
  }

  private void attach(NettyClientStream stream) {
    if (stream.http2Stream == null) {
      Http2Stream http2Stream = connection().stream(stream.id);
      if (http2Stream != null) {
        http2Stream.setProperty(streamKey, stream);
        stream.http2Stream = http2Stream;
      }
    }
  }

  void writeData(NettyClientStream stream, ByteBuf data, boolean endOfStream, int size) {
    if (stream.isClosed() || stream.id < 0) {
      data.release();
      stream.onSent(size);
      return;
    }
    writeData(stream, stream.id, data, endOfStream, size);
  }

  void cancelStream(NettyClientStream stream, Status status) {
    boolean reset = stream.id >= 0 && !stream.isClosed() && !stream.trailersReceived();
    // Closed first: the reset may close the HTTP/2 stream at once, and the call must end with
    // status, not with the news that its stream closed.
    stream.closeWith(status, CloseOrigin.LOCAL);
    if (reset) {
      encoder().writeRstStream(ctx, stream.id, Http2Error.CANCEL.code(), ctx.newPromise());
    }
  }

  /** After the trailers, stops a request side that is still open: the server wants no more. */
  void resetIfStillSending(NettyClientStream stream) {
    Http2Stream s = stream.http2Stream;
    if (s != null && s.state().localSideOpen()) {
      encoder().writeRstStream(ctx, stream.id, Http2Error.CANCEL.code(), ctx.newPromise());
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
      NettyClientStream s = stream(streamId);
      if (s != null) {
        s.onHeaders(headers, endOfStream);
      }
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      NettyClientStream s = stream(streamId);
      if (s != null) {
        s.resetByServer(errorCode);
      }
    }
  }
}
