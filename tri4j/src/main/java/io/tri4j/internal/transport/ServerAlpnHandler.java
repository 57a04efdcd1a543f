package io.tri4j.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.tri4j.PeerIdentity;
import io.tri4j.internal.tls.TlsFailures;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a server's TLS handshake is done, puts the handlers of the protocol the client chose by ALPN
 * after it: HTTP/2 for {@code h2}, HTTP/1.1 for {@code http/1.1}, and for a client that named none,
 * a {@link ProtocolDetector} that tells them apart by the first bytes.
 */
final class ServerAlpnHandler extends ApplicationProtocolNegotiationHandler {
  private static final Logger log = LoggerFactory.getLogger(ServerAlpnHandler.class);

  /** What Netty hands over when the client named no protocol. */
  private static final String NONE = "";

  private static final AttributeKey<PeerIdentity> PEER = AttributeKey.valueOf("tri4j.peer");

  private final Supplier<ChannelHandler> http2;
  private final Supplier<ChannelHandler[]> http1;

  ServerAlpnHandler(Supplier<ChannelHandler> http2, Supplier<ChannelHandler[]> http1) {
    super(NONE);
    this.http2 = http2;
    this.http1 = http1;
  }

  /** The verified client of a TLS connection, or null (plaintext, or no client certificate). */
  static PeerIdentity peerOf(Channel channel) {
    return channel.hasAttr(PEER) ? channel.attr(PEER).get() : null;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : session.getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
      ctx.channel().attr(PEER).set(PeerIdentity.of(chain));
    } catch (SSLPeerUnverifiedException e) {
      // No client certificate (none asked for, or optional and not given).
    }
    switch (protocol) {
      case ApplicationProtocolNames.HTTP_2 -> ctx.pipeline().addLast(http2.get());
      case ApplicationProtocolNames.HTTP_1_1 -> ctx.pipeline().addLast(http1.get());
      default -> ctx.pipeline().addLast(new ProtocolDetector(http2, http1));
    }
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    // The client's mistake (or a scanner's), not the server's: no stack trace.
    log.info(
        "TLS handshake with {} failed: {}",
        ctx.channel().remoteAddress(),
        TlsFailures.describe(cause));
    ctx.close();
  }
}
