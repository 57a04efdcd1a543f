package io.tri4j.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import javax.net.ssl.SSLHandshakeException;

/**
 * Holds a client connection's HTTP/2 handler back until TLS is up: it passes {@code channelActive}
 * on only once the handshake succeeded and the server agreed to {@code h2} by ALPN, so the HTTP/2
 * preface is the first thing encrypted. If either fails, the connection closes and {@link #FAILURE}
 * says why, for the calls waiting on it.
 */
final class ClientTlsGate extends ChannelInboundHandlerAdapter {
  /** Why the TLS handshake failed, on a channel whose handshake failed. */
  static final AttributeKey<Throwable> FAILURE = AttributeKey.valueOf("tri4j.tlsFailure");

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // Held back until the handshake is done.
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (!done.isSuccess()) {
        fail(ctx, done.cause()); // the SslHandler closes the channel
        return;
      }
      String protocol = ctx.pipeline().get(SslHandler.class).applicationProtocol();
      if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        fail(
            ctx,
            new SSLHandshakeException(
                "the server does not speak HTTP/2 over TLS: ALPN offered h2, the server chose "
                    + (protocol == null ? "nothing" : protocol)));
        ctx.close();
        return;
      }
      ctx.fireChannelActive();
      ctx.pipeline().remove(this);
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A failed handshake also arrives here (a record that is not TLS, say): kept, not logged.
    fail(ctx, cause);
    ctx.close();
  }

  private static void fail(ChannelHandlerContext ctx, Throwable cause) {
    ctx.channel().attr(FAILURE).setIfAbsent(cause);
  }
}
