package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells HTTP/2 with prior knowledge from HTTP/1.1 by a connection's first bytes: the HTTP/2 client
 * preface ({@code PRI * HTTP/2.0...}) or an HTTP/1.x request line. Then puts the right handlers in
 * its place and hands them the bytes read so far. A TLS handshake, on a port without TLS, is
 * closed, and so is a connection that starts as anything else.
 */
final class ProtocolDetector extends ByteToMessageDecoder {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static final Logger log = LoggerFactory.getLogger(ProtocolDetector.class);

  /** The first byte of a TLS handshake record; no HTTP request starts with it. */
  private static final byte TLS_HANDSHAKE = 0x16;

  /** Longer than any HTTP method in use (the longest registered is 17 letters). */
  private static final int MAX_METHOD_LENGTH = 20;

  private final Supplier<ChannelHandler> http2;
  private final Supplier<ChannelHandler[]> http1;

  ProtocolDetector(Supplier<ChannelHandler> http2, Supplier<ChannelHandler[]> http1) {
    this.http2 = http2;
    this.http1 = http1;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.isReadable() && in.getByte(in.readerIndex()) == TLS_HANDSHAKE) {
      // A TLS ClientHello on a plaintext port: closing says more to its client than an HTTP 400,
      // which it would take for a broken TLS record.
      log.info(
          "{} started TLS on a plaintext port: closed the connection",
          ctx.channel().remoteAddress());
      in.skipBytes(in.readableBytes());
      ctx.close();
      return;
    }
    int n = Math.min(in.readableBytes(), PREFACE.length);
    for (int i = 0; i < n; i++) {
      if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
        http1OrClose(ctx, in);
        return;
      }
    }
    if (n == PREFACE.length) {
      switchTo(ctx, http2.get());
    }
  }

  /**
   * Hands the connection to HTTP/1.1 if it starts as a request line does (a method token, then a
   * space), or closes it: anything else (a TLS handshake, another protocol, noise) would only get a
   * 400 from a protocol it does not speak.
   */
  private void http1OrClose(ChannelHandlerContext ctx, ByteBuf in) {
    int n = Math.min(in.readableBytes(), MAX_METHOD_LENGTH + 1);
    for (int i = 0; i < n; i++) {
      byte b = in.getByte(in.readerIndex() + i);
      if (b == ' ' && i > 0) {
        switchTo(ctx, http1.get());
        return;
      }
      if (b < 'A' || b > 'Z') {
        break;
      }
      if (i == n - 1 && n <= MAX_METHOD_LENGTH) {
        return; // a method so far: wait for more
      }
    }
    in.skipBytes(in.readableBytes());
    ctx.close();
  }

  /** Puts {@code handlers} after this one, then leaves: the bytes read so far go on to them. */
  private void switchTo(ChannelHandlerContext ctx, ChannelHandler... handlers) {
    String after = ctx.name();
    for (ChannelHandler handler : handlers) {
      ctx.pipeline().addAfter(after, null, handler);
      after = ctx.pipeline().context(handler).name();
    }
    ctx.pipeline().remove(this);
  }
}
