package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limit on answers queued unwritten, as tri4j's assembled HTTP/2 codec has it: a client's
 * handler here, whose peer pings and never reads the PING acknowledgements.
 */
class QueuedControlFrameLimitTest {
  private static final int MAX = Http2Codecs.MAX_QUEUED_CONTROL_FRAMES;

  /** "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", which the client writes first. */
  private static final int PREFACE_LENGTH = 24;

  /** What the handler writes, held unwritten as by a socket whose peer does not read. */
  private static final class Unread extends ChannelOutboundHandlerAdapter {
    final ByteBuf bytes = Unpooled.buffer();
    private final List<ChannelPromise> pending = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ByteBuf frame = (ByteBuf) msg;
      bytes.writeBytes(frame); // kept to be read here; the write stays pending
      frame.release();
      pending.add(promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {}

    /** As a socket's close fails the writes still queued. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
      ClosedChannelException closed = new ClosedChannelException();
      List<ChannelPromise> failed = List.copyOf(pending);
      pending.clear();
      failed.forEach(p -> p.tryFailure(closed));
      ctx.close(promise);
    }

    /** The error code of the GOAWAY among the held frames, or -1 if there is none. */
    long goAwayError() {
      ByteBuf in = bytes.duplicate();
      in.skipBytes(PREFACE_LENGTH);
      while (in.readableBytes() >= Http2CodecUtil.FRAME_HEADER_LENGTH) {
        int length = in.readUnsignedMedium();
        byte type = in.readByte();
        in.skipBytes(5); // flags and stream id
        if (type == Http2FrameTypes.GO_AWAY) {
          in.skipBytes(4); // last stream id
          return in.readUnsignedInt();
        }
        in.skipBytes(length);
      }
      return -1;
    }
  }

  private final Unread unread = new Unread();
  private EmbeddedChannel channel;
  private EmbeddedHttp2Peer server;

  @AfterEach
  void release() {
    server.close();
    channel.finishAndReleaseAll();
    unread.bytes.release();
  }

  @Test
  void aPeerThatDoesNotReadItsPingAnswers_isCutOff() {
    channel = new EmbeddedChannel(unread, NettyClientTransport.newHandler());
    server = new EmbeddedHttp2Peer(channel, true).handshake(); // queues a SETTINGS ack

    int pings = 0;
    while (channel.isOpen() && pings <= MAX) {
      server.ping(pings++);
    }

    // The SETTINGS ack and MAX - 1 PING acks fill the queue; the next answer is one too many.
    assertThat(pings).isEqualTo(MAX);
    assertThat(channel.isOpen()).isFalse();
    assertThat(unread.goAwayError()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
  }

  @Test
  void answersThatAreWritten_doNotCount() {
    channel = new EmbeddedChannel(NettyClientTransport.newHandler());
    server = new EmbeddedHttp2Peer(channel, true).handshake();

    for (int i = 0; i < MAX + 1000; i++) {
      server.ping(i);
      if (i % 1000 == 999) {
        server.read(); // the peer reads: the acks leave the channel
      }
    }

    assertThat(channel.isOpen()).isTrue();
    assertThat(server.read(Http2FrameTypes.GO_AWAY)).isEmpty();
  }
}
