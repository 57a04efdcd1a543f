package io.tri4j.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.tri4j.Status;
import io.tri4j.internal.tls.TlsFailures;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Holds a client connection's HTTP/2 handler back until TLS is up: it passes {@code channelActive}
 * on only once the handshake succeeded and the server agreed to {@code h2} by ALPN, so the HTTP/2
 * preface is the first thing encrypted. If either fails, the connection closes and {@link #FAILURE}
 * says why, for the calls waiting on it.
 *
 * <p>With TLS 1.3 a server checks the client's certificate after the client's side of the handshake
 * is done: a refusal arrives as an alert on a connection the client already uses. So calls wait for
 * the server's first bytes ({@link #SERVER_SPOKE}, its HTTP/2 SETTINGS) before they start, as
 * grpc-java's do, and an alert that comes later still fails the calls with what it says.
 */
final class ClientTlsGate extends ChannelInboundHandlerAdapter {
  /** Why TLS failed, on a channel where it did. */
  static final AttributeKey<Throwable> FAILURE = AttributeKey.valueOf("tri4j.tlsFailure");

  /** Completes when the server has sent its first bytes over TLS; fails if TLS fails first. */
  static final AttributeKey<ChannelPromise> SERVER_SPOKE =
      AttributeKey.valueOf("tri4j.tlsServerSpoke");

  private final String target;
  private final boolean presentsCertificate;
  private ChannelPromise serverSpoke;
  private boolean active;

  /** {@code target} names the server in messages; whether the client has a certificate to show. */
  ClientTlsGate(String target, boolean presentsCertificate) {
    this.target = target;
    this.presentsCertificate = presentsCertificate;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    serverSpoke = ctx.newPromise();
    ctx.channel().attr(SERVER_SPOKE).set(serverSpoke);
  }

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
      active = true;
      ctx.fireChannelActive();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    serverSpoke.trySuccess();
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!active) {
      fail(ctx, new ClosedChannelException()); // unless the handshake said more
    }
    serverSpoke.tryFailure(new ClosedChannelException());
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!active) {
      // A failed handshake also arrives here (a record that is not TLS, say): kept, not logged.
      fail(ctx, cause);
      ctx.close();
    } else if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
      fail(ctx, cause);
      NettyClientHandler http2 = ctx.pipeline().get(NettyClientHandler.class);
      if (http2 != null) {
        http2.closeAll(
            Status.UNAVAILABLE
                .withDescription(
                    "TLS with "
                        + target
                        + " failed: "
                        + TlsFailures.describeForClient(cause, presentsCertificate))
                .withCause(cause));
      }
      ctx.close();
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    ctx.channel().attr(FAILURE).setIfAbsent(cause);
    serverSpoke.tryFailure(cause);
  }
}
