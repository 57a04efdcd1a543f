package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * Ends a server connection with ENHANCE_YOUR_CALM when its peer sends more frames that cost the
 * server work but carry no request (PRIORITY, WINDOW_UPDATE, PING and SETTINGS) than its useful
 * traffic accounts for. Each such frame spends one of a budget of {@value #BUDGET}; requests and
 * DATA frames with a payload, read or written, earn frames back, and so does time, {@value
 * #EARNED_PER_SECOND} a second, so that an idle connection may keep pinging.
 *
 * <p>Netty bounds the acknowledgements such frames queue, not the work of reading them. The budget
 * counts frames, not frames per second, so a flood ends after as many frames on a server too busy
 * to read quickly as on an idle one. A client's window updates and pings follow the data it sends
 * and receives, which earns them: a reader returns window at most once per stream and once for the
 * connection per DATA frame.
 */
final class ControlFrameBudget extends DecoratingHttp2ConnectionDecoder {
  static final int BUDGET = 10_000;

  static final int EARNED_PER_REQUEST = 10;

  static final int EARNED_PER_DATA_FRAME = 2;

  static final int EARNED_PER_SECOND = 10;

  private static final long NANOS_PER_EARNED_FRAME =
      TimeUnit.SECONDS.toNanos(1) / EARNED_PER_SECOND;

  /** DATA frames a written message becomes at most, per this many payload bytes (the default). */
  private static final int MAX_FRAME_SIZE_SHIFT = 14;

  private final Ticker ticker;
  private long earnedUntil;
  private int budget = BUDGET;

  ControlFrameBudget(Http2ConnectionDecoder delegate) {
    this(delegate, Ticker.systemTicker());
  }

  ControlFrameBudget(Http2ConnectionDecoder delegate, Ticker ticker) {
    super(delegate);
    this.ticker = ticker;
    this.earnedUntil = ticker.nanoTime();
  }

  /** Wraps the encoder of the same connection, so that the data it writes earns frames. */
  Http2ConnectionEncoder earnOnWrite(Http2ConnectionEncoder encoder) {
    return new Earning(encoder);
  }

  @Override
  public void frameListener(Http2FrameListener listener) {
    super.frameListener(listener == null ? null : new Spending(listener));
  }

  private void earn(int frames) {
    budget = Math.min(BUDGET, budget + frames);
  }

  private void spend() throws Http2Exception {
    long now = ticker.nanoTime();
    long earned = (now - earnedUntil) / NANOS_PER_EARNED_FRAME;
    if (earned > 0) {
      earnedUntil += earned * NANOS_PER_EARNED_FRAME;
      budget = (int) Math.min(BUDGET, budget + earned);
    }
    if (--budget < 0) {
      throw Http2Exception.connectionError(
          Http2Error.ENHANCE_YOUR_CALM,
          "Too many PRIORITY, WINDOW_UPDATE, PING and SETTINGS frames for the requests and data"
              + " sent");
    }
  }

  private final class Spending extends Http2FrameListenerDecorator {
    Spending(Http2FrameListener listener) {
      super(listener);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
        throws Http2Exception {
      if (data.isReadable()) {
        earn(EARNED_PER_DATA_FRAME);
      }
      return super.onDataRead(ctx, streamId, data, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream)
        throws Http2Exception {
      earn(EARNED_PER_REQUEST);
      super.onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

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
      earn(EARNED_PER_REQUEST);
      super.onHeadersRead(
          ctx, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
    }

    @Override
    public void onPriorityRead(
        ChannelHandlerContext ctx,
        int streamId,
        int streamDependency,
        short weight,
        boolean exclusive)
        throws Http2Exception {
      spend();
      super.onPriorityRead(ctx, streamId, streamDependency, weight, exclusive);
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement)
        throws Http2Exception {
      spend();
      super.onWindowUpdateRead(ctx, streamId, windowSizeIncrement);
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
      spend();
      super.onPingRead(ctx, data);
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings)
        throws Http2Exception {
      spend();
      super.onSettingsRead(ctx, settings);
    }
  }

  private final class Earning extends DecoratingHttp2ConnectionEncoder {
    Earning(Http2ConnectionEncoder delegate) {
      super(delegate);
    }

    @Override
    public ChannelFuture writeData(
        ChannelHandlerContext ctx,
        int streamId,
        ByteBuf data,
        int padding,
        boolean endStream,
        ChannelPromise promise) {
      if (data.isReadable()) {
        earn(EARNED_PER_DATA_FRAME * (1 + (data.readableBytes() >>> MAX_FRAME_SIZE_SHIFT)));
      }
      return super.writeData(ctx, streamId, data, padding, endStream, promise);
    }
  }
}
