package io.tri4j.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write's promise that acts on its own outcome, either way ({@link #completed}), instead of
 * through a listener added to it. A listener would be one more object per write, and with the
 * listener the HTTP/2 encoder adds to its promises, two listeners also make Netty keep them in a
 * list object and an array of their own.
 *
 * <p>The outcome is acted on once the write was {@linkplain #handedOver handed over}, as a listener
 * added after the write would be: a write that failed at once, inside the encoder, is acted on when
 * the encoder has returned ({@link #completedBeforeHandOver}), not in the middle of it.
 *
 * <p>Netty completes a channel write's promise on the channel's event loop, where the outcome is
 * acted on and this promise's own state is kept.
 */
abstract class CompletionPromise extends DefaultChannelPromise {
  private static final Logger log = LoggerFactory.getLogger(CompletionPromise.class);

  private boolean handedOver;
  private boolean completedEarly;

  CompletionPromise(ChannelHandlerContext ctx) {
    super(ctx.channel(), ctx.executor());
  }

  /** Acts on the outcome (see {@link #isSuccess}); once. */
  abstract void completed();

  /**
   * Acts on an outcome known before the write was handed over; at once, unless a subclass defers
   * it.
   */
  void completedBeforeHandOver() {
    actOnOutcome();
  }

  /** The write that this promise is for was handed to the encoder. */
  final void handedOver() {
    handedOver = true;
    if (completedEarly) {
      completedBeforeHandOver();
    }
  }

  private void outcomeKnown() {
    if (!handedOver) {
      completedEarly = true;
      return;
    }
    actOnOutcome();
  }

  private void actOnOutcome() {
    try {
      completed();
    } catch (RuntimeException e) {
      // Whoever completes the write (Netty's outbound buffer) must not be cut short, as a failing
      // listener would not cut it short either.
      log.warn("Acting on a write's outcome failed", e);
    }
  }

  @Override
  public ChannelPromise setSuccess(Void result) {
    super.setSuccess(result); // throws if already complete
    outcomeKnown();
    return this;
  }

  @Override
  public ChannelPromise setFailure(Throwable cause) {
    super.setFailure(cause);
    outcomeKnown();
    return this;
  }

  @Override
  public boolean trySuccess(Void result) {
    return outcomeKnownIf(super.trySuccess(result));
  }

  @Override
  public boolean tryFailure(Throwable cause) {
    return outcomeKnownIf(super.tryFailure(cause));
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return outcomeKnownIf(super.cancel(mayInterruptIfRunning));
  }

  private boolean outcomeKnownIf(boolean completedNow) {
    if (completedNow) {
      outcomeKnown();
    }
    return completedNow;
  }
}
