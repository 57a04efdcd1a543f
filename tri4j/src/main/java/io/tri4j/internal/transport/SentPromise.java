package io.tri4j.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promise of a DATA write whose bytes its stream counts as held until they are written: it
 * tells the stream ({@link NettyStream#onSent}) itself when it completes, either way, instead of
 * through a listener added to it. A listener would be one more object per write, and with the
 * listener the HTTP/2 encoder adds to every DATA promise, two listeners also make Netty keep them
 * in a list object and an array of their own.
 *
 * <p>A write that completed before it was handed over ({@link #handedOver}): it failed at once, as
 * the stream or the channel is closing. Its bytes are given back later, in a task of its own, not
 * then: its writer may be a handler on this thread looping while its stream is ready, which would
 * otherwise never see the stream fill, nor let the close that ends it go on.
 *
 * <p>Netty completes a channel write's promise on the channel's event loop, where the stream is
 * told and this promise's own state is kept.
 */
final class SentPromise extends DefaultChannelPromise {
  private static final Logger log = LoggerFactory.getLogger(SentPromise.class);

  private final NettyStream stream;
  private final int size;
  private boolean handedOver;
  private boolean completedEarly;

  SentPromise(ChannelHandlerContext ctx, NettyStream stream, int size) {
    super(ctx.channel(), ctx.executor());
    this.stream = stream;
    this.size = size;
  }

  /** The write that this promise is for was handed to the encoder. */
  void handedOver() {
    handedOver = true;
    if (completedEarly) {
      try {
        executor().execute(() -> stream.onSent(size));
      } catch (RejectedExecutionException e) {
        stream.onSent(size); // the event loop has shut down: no handler runs on it any more
      }
    }
  }

  private void completed() {
    if (!handedOver) {
      completedEarly = true;
      return;
    }
    try {
      stream.onSent(size);
    } catch (RuntimeException e) {
      // Whoever completes the write (Netty's outbound buffer) must not be cut short, as a failing
      // listener would not cut it short either.
      log.warn("Telling a stream that its bytes were written failed", e);
    }
  }

  @Override
  public ChannelPromise setSuccess(Void result) {
    super.setSuccess(result); // throws if already complete
    completed();
    return this;
  }

  @Override
  public ChannelPromise setFailure(Throwable cause) {
    super.setFailure(cause);
    completed();
    return this;
  }

  @Override
  public boolean trySuccess(Void result) {
    return completedIf(super.trySuccess(result));
  }

  @Override
  public boolean tryFailure(Throwable cause) {
    return completedIf(super.tryFailure(cause));
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return completedIf(super.cancel(mayInterruptIfRunning));
  }

  private boolean completedIf(boolean completedNow) {
    if (completedNow) {
      completed();
    }
    return completedNow;
  }
}
