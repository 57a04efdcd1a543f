package io.tri4j.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection with ENHANCE_YOUR_CALM when its peer sends more than {@value #MAX_PER_SECOND}
 * frames a second that cost the server work but carry no request: PRIORITY, WINDOW_UPDATE, PING and
 * SETTINGS. Netty bounds the acknowledgements such frames queue, not the work of reading them; a
 * busy client sends a few hundred a second (window updates as it reads), a flood millions.
 */
final class FrameRateLimit extends DecoratingHttp2ConnectionDecoder {
  static final int MAX_PER_SECOND = 10_000;

  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Ticker ticker;
  private long windowStart;
  private int count;

  FrameRateLimit(Http2ConnectionDecoder delegate) {
    this(delegate, Ticker.systemTicker());
  }

  FrameRateLimit(Http2ConnectionDecoder delegate, Ticker ticker) {
    super(delegate);
    this.ticker = ticker;
    this.windowStart = ticker.nanoTime();
  }

  @Override
  public void frameListener(Http2FrameListener listener) {
    super.frameListener(listener == null ? null : new Counting(listener));
  }

  private void count() throws Http2Exception {
    long now = ticker.nanoTime();
    if (now - windowStart >= WINDOW_NANOS) {
      windowStart = now;
      count = 0;
    }
    if (++count > MAX_PER_SECOND) {
      throw Http2Exception.connectionError(
          Http2Error.ENHANCE_YOUR_CALM,
          "More than %d PRIORITY, WINDOW_UPDATE, PING and SETTINGS frames in a second",
          MAX_PER_SECOND);
    }
  }

  private final class Counting extends Http2FrameListenerDecorator {
    Counting(Http2FrameListener listener) {
      super(listener);
    }

    @Override
    public void onPriorityRead(
        ChannelHandlerContext ctx,
        int streamId,
        int streamDependency,
        short weight,
        boolean exclusive)
        throws Http2Exception {
      count();
      super.onPriorityRead(ctx, streamId, streamDependency, weight, exclusive);
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement)
        throws Http2Exception {
      count();
      super.onWindowUpdateRead(ctx, streamId, windowSizeIncrement);
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
      count();
      super.onPingRead(ctx, data);
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings)
        throws Http2Exception {
      count();
      super.onSettingsRead(ctx, settings);
    }
  }
}
