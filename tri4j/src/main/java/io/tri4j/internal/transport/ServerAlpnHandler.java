package io.tri4j.internal.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.tri4j.internal.tls.TlsFailures;
import java.util.function.Supplier;
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

  private final Supplier<ChannelHandler> http2;
  private final Supplier<ChannelHandler[]> http1;

  ServerAlpnHandler(Supplier<ChannelHandler> http2, Supplier<ChannelHandler[]> http1) {
    super(NONE);
    this.http2 = http2;
    this.http1 = http1;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    switch (protocol) {
      case ApplicationProtocolNames.HTTP_2 -> ctx.pipeline().addLast(http2.get());
      case ApplicationProtocolNames.HTTP_1_1 -> ctx.pipeline().addLast(http1.get());
      default -> ctx.pipeline().addLast(new ProtocolDetector(http2, http1));
    }
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    // The client's mistake (or a scanner's), not the server's: no stack trace.
    log.debug(
        "TLS handshake with {} failed: {}",
        ctx.channel().remoteAddress(),
        TlsFailures.describe(cause));
    ctx.close();
  }
}
