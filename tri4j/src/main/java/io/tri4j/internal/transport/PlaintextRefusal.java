package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Answers a plaintext client on a TLS port in its own protocol that the port takes TLS only, then
 * closes the connection.
 *
 * <p>An HTTP/1.x client gets a 400 at once. An HTTP/2 client gets the server preface, and when its
 * first request arrives, a GOAWAY that names that request as the last one taken (so gRPC clients
 * fail it with UNAVAILABLE rather than retry it on a new connection) with the reason as debug data,
 * which they show. Nothing is decoded but frame headers, and no more than {@link #MAX_BYTES} is
 * read.
 */
final class PlaintextRefusal extends ByteToMessageDecoder {
  static final String MESSAGE = "This port takes TLS only: connect with TLS (https)";

  /** Bytes read before giving up on seeing a request. */
  static final int MAX_BYTES = 64 * 1024;

  private static final int FRAME_HEADER = 9;

  private final boolean http2;
  private boolean prefaceSkipped;
  private int read;
  private boolean answered; // the GOAWAY is written: what comes after is dropped

  /** {@code http2}: whether the client started with the HTTP/2 preface. */
  PlaintextRefusal(boolean http2) {
    this.http2 = http2;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (http2) {
      ctx.writeAndFlush(frame(Http2FrameTypes.SETTINGS, 0, Unpooled.EMPTY_BUFFER));
    } else {
      refuseHttp1(ctx);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (!http2 || answered || !ctx.channel().isActive()) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (!prefaceSkipped) {
      if (in.readableBytes() < Http2CodecUtil.connectionPrefaceBuf().readableBytes()) {
        return;
      }
      in.skipBytes(Http2CodecUtil.connectionPrefaceBuf().readableBytes());
      prefaceSkipped = true;
    }
    while (in.readableBytes() >= FRAME_HEADER) {
      int length = in.getUnsignedMedium(in.readerIndex());
      byte type = in.getByte(in.readerIndex() + 3);
      int streamId = in.getInt(in.readerIndex() + 5) & Integer.MAX_VALUE;
      if (type == Http2FrameTypes.HEADERS) {
        in.skipBytes(in.readableBytes());
        goAway(ctx, streamId);
        return;
      }
      if (read + FRAME_HEADER + length > MAX_BYTES) {
        // Before the frame has all come: waiting for it would buffer up to 16 MiB.
        in.skipBytes(in.readableBytes());
        goAway(ctx, 0);
        return;
      }
      if (in.readableBytes() < FRAME_HEADER + length) {
        break;
      }
      read += FRAME_HEADER + length;
      in.skipBytes(FRAME_HEADER + length);
    }
  }

  private void goAway(ChannelHandlerContext ctx, int lastStreamId) {
    answered = true;
    byte[] debug = MESSAGE.getBytes(StandardCharsets.US_ASCII);
    ByteBuf payload = Unpooled.buffer(8 + debug.length);
    payload.writeInt(lastStreamId).writeInt((int) Http2Error.NO_ERROR.code()).writeBytes(debug);
    ctx.writeAndFlush(frame(Http2FrameTypes.GO_AWAY, 0, payload))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private static ByteBuf frame(byte type, int streamId, ByteBuf payload) {
    ByteBuf frame = Unpooled.buffer(FRAME_HEADER + payload.readableBytes());
    frame.writeMedium(payload.readableBytes()).writeByte(type).writeByte(0).writeInt(streamId);
    frame.writeBytes(payload);
    payload.release();
    return frame;
  }

  private static void refuseHttp1(ChannelHandlerContext ctx) {
    String body = MESSAGE + "\n";
    ctx.writeAndFlush(
            Unpooled.copiedBuffer(
                "HTTP/1.1 400 Bad Request\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: "
                    + body.length()
                    + "\r\nConnection: close\r\n\r\n"
                    + body,
                StandardCharsets.US_ASCII))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
