package io.tri4j.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promise of a DATA write whose bytes its stream counts as held until they are written: it
 * tells the stream ({@link NettyStream#onSent}) itself when it completes, either way, as a {@link
 * CompletionPromise}.
 *
 * <p>A write that completed before it was handed over ({@link #handedOver}): it failed at once, as
 * the stream or the channel is closing. Its bytes are given back later, in a task of its own, not
 * then: its writer may be a handler on this thread looping while its stream is ready, which would
 * otherwise never see the stream fill, nor let the close that ends it go on.
 *
 * <p>The stream is told, and this promise's own state kept, on the channel's event loop.
 */
final class SentPromise extends CompletionPromise {
  private static final Logger log = LoggerFactory.getLogger(SentPromise.class);

  private final NettyStream stream;
  private final int size;
  private boolean handedOver;
  private boolean completedEarly;

  SentPromise(ChannelHandlerContext ctx, NettyStream stream, int size) {
    super(ctx);
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

  @Override
  void completed() {
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
}
