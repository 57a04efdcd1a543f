package io.tri4j.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;

/**
 * A write's promise that acts on its own completion, either way ({@link #completed}), instead of
 * through a listener added to it. A listener would be one more object per write, and with the
 * listener the HTTP/2 encoder adds to its promises, two listeners also make Netty keep them in a
 * list object and an array of their own.
 *
 * <p>Netty completes a channel write's promise on the channel's event loop, where {@link
 * #completed} runs.
 */
abstract class CompletionPromise extends DefaultChannelPromise {

  CompletionPromise(ChannelHandlerContext ctx) {
    super(ctx.channel(), ctx.executor());
  }

  /** The promise has just completed, successfully or not (see {@link #isSuccess}); once. */
  abstract void completed();

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
