package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;

/** One gRPC stream as its {@link NettyConnectionHandler} sees it; called on the event loop. */
interface NettyStream {
  /** DATA arrived for this stream; {@code data} is released by the caller afterwards. */
  void onData(ByteBuf data, boolean endOfStream);

  /** {@code size} bytes of this stream's messages were written to the socket (or dropped). */
  void onSent(int size);
}
