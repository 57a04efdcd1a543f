package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler on a TLS port: a connection that starts with a TLS record goes on to the
 * handshake; one that starts in plaintext is told so by a {@link PlaintextRefusal}.
 */
final class TlsDetector extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(TlsDetector.class);

  /** A TLS record header is five bytes: enough to tell. */
  private static final int RECORD_HEADER = 5;

  /** "PRI " as an int: how the HTTP/2 preface starts ("PRI * HTTP/2.0..."). */
  private static final int HTTP2_PREFACE_START = 0x50524920;

  private final Supplier<ChannelHandler[]> tls;

  /** {@code tls} makes the handlers of a TLS connection: the SslHandler first. */
  TlsDetector(Supplier<ChannelHandler[]> tls) {
    this.tls = tls;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < RECORD_HEADER) {
      return;
    }
    if (SslHandler.isEncrypted(in, false)) {
      String after = ctx.name();
      for (ChannelHandler handler : tls.get()) {
        ctx.pipeline().addAfter(after, null, handler);
        after = ctx.pipeline().context(handler).name();
      }
      ctx.pipeline().remove(this); // the bytes read so far go on to the SslHandler
      return;
    }
    boolean http2 = in.getInt(in.readerIndex()) == HTTP2_PREFACE_START;
    log.info(
        "{} sent plaintext {} to a TLS port: told it to use TLS, and closing the connection",
        ctx.channel().remoteAddress(),
        http2 ? "HTTP/2" : "bytes");
    ctx.pipeline().addAfter(ctx.name(), null, new PlaintextRefusal(http2));
    ctx.pipeline().remove(this);
  }
}
