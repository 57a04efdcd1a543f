package io.tri4j.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.RejectedExecutionException;

/**
 * The promise of a DATA write whose bytes its stream counts as held until they are written: it
 * tells the stream ({@link NettyStream#onSent}) itself when it completes, either way, as a {@link
 * CompletionPromise}.
 *
 * <p>A write that completed before it was handed over ({@link #handedOver}) failed at once, as the
 * stream or the channel is closing. Its bytes are given back later, in a task of its own, not then:
 * its writer may be a handler on this thread looping while its stream is ready, which would
 * otherwise never see the stream fill, nor let the close that ends it go on.
 *
 * <p>The stream is told, and this promise's own state kept, on the channel's event loop.
 */
final class SentPromise extends CompletionPromise {
  private final NettyStream stream;
  private final int size;

  SentPromise(ChannelHandlerContext ctx, NettyStream stream, int size) {
    super(ctx);
    this.stream = stream;
    this.size = size;
  }

  @Override
  void completed() {
    stream.onSent(size);
  }

  /** Deferred to a task of its own (see above). */
  @Override
  void completedBeforeHandOver() {
    try {
      executor().execute(() -> stream.onSent(size));
    } catch (RejectedExecutionException e) {
      stream.onSent(size); // the event loop has shut down: no handler runs on it any more
    }
  }
}
