package io.tri4j.internal.transport;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LifecycleManager;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * Ends a server connection with ENHANCE_YOUR_CALM when it has sent more than {@code max} resets for
 * errors its client caused (MadeYouReset, CVE-2025-8671) in a window of time; CANCEL and NO_ERROR
 * resets do not count, as the server sends those on its own account.
 *
 * <p>The limit reports a connection error and nothing more: the connection handler sends the GOAWAY
 * and closes once it is written. Netty's own limit closes at once, behind a GOAWAY still queued;
 * NIO and epoll happen to write that GOAWAY within the flush before the close, but io_uring's write
 * is an operation the close cancels, so the client saw the connection end without a reason.
 */
final class SentResetLimit extends DecoratingHttp2ConnectionEncoder {
  private final int max;
  private final long windowNanos;
  private final Ticker ticker;
  private Http2LifecycleManager lifecycleManager;
  private long windowStart;
  private int sentInWindow;

  SentResetLimit(Http2ConnectionEncoder delegate, int max, int windowSeconds, Ticker ticker) {
    super(delegate);
    this.max = max;
    this.windowNanos = TimeUnit.SECONDS.toNanos(windowSeconds);
    this.ticker = ticker;
    this.windowStart = ticker.nanoTime();
  }

  @Override
  public void lifecycleManager(Http2LifecycleManager lifecycleManager) {
    this.lifecycleManager = lifecycleManager;
    super.lifecycleManager(lifecycleManager);
  }

  @Override
  public ChannelFuture writeRstStream(
      ChannelHandlerContext ctx, int streamId, long errorCode, ChannelPromise promise) {
    ChannelFuture future = super.writeRstStream(ctx, streamId, errorCode, promise);
    if (errorCode == Http2Error.CANCEL.code() || errorCode == Http2Error.NO_ERROR.code()) {
      return future;
    }
    long now = ticker.nanoTime();
    if (now - windowStart >= windowNanos) {
      windowStart = now;
      sentInWindow = 0;
    }
    if (++sentInWindow == max + 1) { // once: the handler closes the connection
      lifecycleManager.onError(
          ctx,
          true,
          Http2Exception.connectionError(
              Http2Error.ENHANCE_YOUR_CALM,
              "More than %d streams reset for client errors within %d seconds",
              max,
              TimeUnit.NANOSECONDS.toSeconds(windowNanos)));
    }
    return future;
  }
}
