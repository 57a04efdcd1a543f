package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Gives the other end of an in-memory connection its own copy of every buffer written, as a socket
 * would. Netty's {@code LocalChannel} hands over the written buffer itself and completes the write
 * once it is queued for the peer, but the HTTP/2 encoder takes a completed write to mean the bytes
 * are gone, and frees the parts of a large message's buffer that it has sent: on this transport
 * alone, before the peer has read them.
 */
@ChannelHandler.Sharable
final class InMemoryCopy extends ChannelOutboundHandlerAdapter {
  static final InMemoryCopy INSTANCE = new InMemoryCopy();

  private InMemoryCopy() {}

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.write(msg, promise);
      return;
    }
    ByteBuf copy;
    try {
      copy = ctx.alloc().buffer(buf.readableBytes()).writeBytes(buf);
    } finally {
      buf.release();
    }
    ctx.write(copy, promise);
  }
}
