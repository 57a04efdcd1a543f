package io.tri4j.internal.transport;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LifecycleManager;

/**
 * Ends a connection with ENHANCE_YOUR_CALM when more than {@code max} of the frames its peer makes
 * it send in answer (SETTINGS and PING acknowledgements, resets) are waiting to be written: a peer
 * that floods SETTINGS or PINGs and never reads the answers would otherwise fill the server's
 * memory with them. Netty's builder adds the same guard to the handlers it builds; tri4j assembles
 * its codec itself ({@link Http2Codecs}) and adds this one.
 *
 * <p>The connection closes at once, after the error is reported: its GOAWAY could wait forever
 * behind the unread answers.
 */
final class QueuedControlFrameLimit extends DecoratingHttp2ConnectionEncoder {
  private final int max;
  private int queued;
  private boolean exceeded;
  private final ChannelFutureListener written = future -> queued--;
  private Http2LifecycleManager lifecycleManager;

  QueuedControlFrameLimit(Http2ConnectionEncoder delegate, int max) {
    super(delegate);
    if (max <= 0) {
      throw new IllegalArgumentException("max must be positive: " + max);
    }
    this.max = max;
  }

  @Override
  public void lifecycleManager(Http2LifecycleManager lifecycleManager) {
    this.lifecycleManager = lifecycleManager;
    super.lifecycleManager(lifecycleManager);
  }

  @Override
  public ChannelFuture writeSettingsAck(ChannelHandlerContext ctx, ChannelPromise promise) {
    return super.writeSettingsAck(ctx, counted(ctx, promise));
  }

  @Override
  public ChannelFuture writePing(
      ChannelHandlerContext ctx, boolean ack, long data, ChannelPromise promise) {
    // This end's own pings are paced by this end; only answers to the peer's count.
    return super.writePing(ctx, ack, data, ack ? counted(ctx, promise) : promise);
  }

  @Override
  public ChannelFuture writeRstStream(
      ChannelHandlerContext ctx, int streamId, long errorCode, ChannelPromise promise) {
    return super.writeRstStream(ctx, streamId, errorCode, counted(ctx, promise));
  }

  /** Counts one more queued frame, written (or failed) when {@code promise} completes. */
  private ChannelPromise counted(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (exceeded) {
      return promise;
    }
    if (queued >= max) {
      ctx.flush(); // what the socket takes now is no longer queued
    }
    if (queued >= max) {
      exceeded = true;
      lifecycleManager.onError(
          ctx,
          true,
          Http2Exception.connectionError(
              Http2Error.ENHANCE_YOUR_CALM,
              "More than %d control frames queued unwritten: the peer does not read",
              max));
      ctx.close();
      return promise;
    }
    queued++;
    return promise.unvoid().addListener(written);
  }
}
