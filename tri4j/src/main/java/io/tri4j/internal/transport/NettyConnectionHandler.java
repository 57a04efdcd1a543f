package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.codec.MessageDeframer;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client and server ends of an HTTP/2 connection share. Each finds its gRPC stream through
 * a property of Netty's stream and routes DATA to it; opens the connection's receive window wide at
 * the start; returns flow-control credit only as the application reads; and hears when a stream
 * closes. All methods run on the channel's event loop.
 */
abstract class NettyConnectionHandler<S extends NettyStream> extends Http2ConnectionHandler {
  private static final Logger log = LoggerFactory.getLogger(NettyConnectionHandler.class);

  private boolean loggedUnexpected; // logUnexpected's WARN, once a connection

  /** The property of Netty's stream that holds ours. */
  final Http2Connection.PropertyKey streamKey;

  private final int connectionWindow;
  ChannelHandlerContext ctx;

  private boolean started;

  /** This end's keepalive pings, or null while it sends none. */
  private KeepAlivePinger pinger;

  /**
   * Where a small DATA frame is copied for its stream's deframer ({@link Frames#deframe}), instead
   * of a {@code ByteBuffer} view made per frame; on the event loop, and no deframer keeps it.
   */
  private final ByteBuffer readScratch = ByteBuffer.allocate(Frames.SCRATCH_SIZE);

  NettyConnectionHandler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      int connectionWindow) {
    super(decoder, encoder, settings);
    this.connectionWindow = connectionWindow;
    this.streamKey = connection().newKey();
    connection()
        .addListener(
            new Http2ConnectionAdapter() {
              @Override
              public void onStreamClosed(Http2Stream stream) {
                S s = stream.getProperty(streamKey);
                if (s != null) {
                  streamClosed(stream, s);
                }
              }
            });
  }

  /**
   * A peer that vanishes (reset, broken pipe) or breaks TLS is not a failure of this end: the
   * connection closes and its calls end, with a DEBUG line rather than Netty's WARN with a stack
   * trace for an exception nobody handled. The native transports report a reset on either end.
   *
   * <p>HTTP/2 errors are Netty's to handle (a stream error resets the stream, a connection error
   * sends a GOAWAY). Anything else is a fault at this end (a write failed for a reason other than
   * I/O, say), which Netty would hand on to the end of the pipeline, log there and leave the
   * connection open in a state nobody knows: it ends the connection as an HTTP/2 INTERNAL_ERROR, as
   * Netty ends it when a frame handler throws, and is logged as that is ({@link #logUnexpected}).
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (isIo(cause)) {
      log.debug("Connection with {} lost", ctx.channel().remoteAddress(), cause);
      ctx.close();
      return;
    }
    if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
      onError(ctx, false, cause);
      return;
    }
    super.exceptionCaught(ctx, cause);
  }

  /**
   * Logs, with its stack trace, a connection error that is a fault at this end: not HTTP/2's
   * ({@code http2Ex} is null) nor an I/O error. Netty's handler reports these (a frame handler that
   * threw, a write the encoder failed) to {@code onConnectionError}, which logs nothing; subclasses
   * call this from there. At WARN once a connection: a fault that fails every write until the
   * connection closes is one fault.
   */
  final void logUnexpected(ChannelHandlerContext ctx, Throwable cause, Http2Exception http2Ex) {
    if (http2Ex != null || isIo(cause)) {
      return;
    }
    if (!loggedUnexpected) {
      loggedUnexpected = true;
      log.warn(
          "Closing the connection with {} after an unexpected error",
          ctx.channel().remoteAddress(),
          cause);
    } else {
      log.debug(
          "Another unexpected error on the connection with {}",
          ctx.channel().remoteAddress(),
          cause);
    }
  }

  /**
   * Whether {@code cause} is an I/O error or wraps one: TLS reports a broken record after the
   * handshake as an {@code SSLException} (an {@link IOException}) inside Netty's {@code
   * DecoderException}.
   */
  private static boolean isIo(Throwable cause) {
    for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause()) {
      if (cause instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** {@code http2Stream}, which carries {@code stream}, closed (ended, reset or cut). */
  abstract void streamClosed(Http2Stream http2Stream, S stream);

  /** Our stream on the HTTP/2 stream {@code streamId}, or null if there is none. */
  final S stream(int streamId) {
    Http2Stream s = connection().stream(streamId);
    return s == null ? null : s.getProperty(streamKey);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
    if (ctx.channel().isActive()) {
      // Added once the first bytes showed HTTP/2: the channel is already active.
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    start();
  }

  /**
   * Once the channel is active and this handler added (in either order; some channels say both).
   */
  private void start() throws Http2Exception {
    growConnectionWindow();
    if (!started) {
      started = true;
      connectionStarted();
    }
  }

  /** The connection is up and its preface sent: start its timers. */
  void connectionStarted() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (pinger != null) {
      pinger.onDataReceived();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (pinger != null) {
      pinger.stop();
    }
    super.channelInactive(ctx);
  }

  /**
   * Starts this end's keepalive pings: one after {@code timeNanos} of quiet, answered within {@code
   * timeoutNanos} or {@link #keepAliveTimedOut()}.
   */
  final void startKeepAlive(
      CallClock clock, long timeNanos, long timeoutNanos, boolean withoutCalls) {
    pinger =
        new KeepAlivePinger(
            clock,
            new KeepAlivePinger.Connection() {
              @Override
              public boolean hasCalls() {
                return connection().numActiveStreams() > 0;
              }

              @Override
              public void sendPing(long data) {
                encoder().writePing(ctx, false, data, ctx.newPromise());
                ctx.flush();
              }

              @Override
              public void keepAliveTimedOut() {
                NettyConnectionHandler.this.keepAliveTimedOut(timeoutNanos);
              }
            },
            timeNanos,
            timeoutNanos,
            withoutCalls);
    pinger.start();
  }

  /** No answer to a keepalive PING within {@code timeoutNanos}: close the connection now. */
  abstract void keepAliveTimedOut(long timeoutNanos);

  /** Widens the connection's receive window from HTTP/2's default, and sends the preface now. */
  private void growConnectionWindow() throws Http2Exception {
    Http2Stream connectionStream = connection().connectionStream();
    int increment =
        connectionWindow - connection().local().flowController().windowSize(connectionStream);
    if (increment > 0) {
      connection().local().flowController().incrementWindowSize(connectionStream, increment);
    }
    ctx.flush();
  }

  /**
   * Writes DATA of {@code stream}; {@code size} of its bytes count as sent once written (or failed,
   * see {@link SentPromise}).
   */
  final void writeData(S stream, int streamId, ByteBuf data, boolean endOfStream, int size) {
    if (size == 0) {
      encoder().writeData(ctx, streamId, data, 0, endOfStream, ctx.newPromise());
      return;
    }
    SentPromise promise = new SentPromise(ctx, stream, size);
    encoder().writeData(ctx, streamId, data, 0, endOfStream, promise);
    promise.handedOver();
  }

  /** Hands the readable bytes of a DATA frame's {@code data} to {@code deframer}. */
  final void deframe(ByteBuf data, MessageDeframer deframer) {
    Frames.deframe(data, deframer, readScratch);
  }

  /** The application has read {@code count} bytes of {@code stream}: the peer may send as many. */
  final void consumeBytes(Http2Stream stream, int count) {
    if (stream == null || count == 0) {
      return;
    }
    try {
      connection().local().flowController().consumeBytes(stream, count);
    } catch (Http2Exception e) {
      onError(ctx, false, e);
    }
  }

  /** Routes DATA to its stream; HEADERS with a priority are read as HEADERS. */
  abstract class StreamFrameListener extends Http2FrameAdapter {
    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      S s = stream(streamId);
      if (s == null) {
        return data.readableBytes() + padding; // not ours (any more): credit it back at once
      }
      s.onData(data, endOfStream);
      return padding;
    }

    @Override
    public abstract void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream)
        throws Http2Exception;

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream)
        throws Http2Exception {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }
  }
}
