package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * The other end of a Netty HTTP/2 handler under test in an {@link EmbeddedChannel}: writes raw
 * frames (Netty's {@link DefaultHttp2FrameWriter}) into the channel and parses what the handler
 * writes back ({@link DefaultHttp2FrameReader}). It keeps no HTTP/2 state of its own, so it can
 * send what a well-behaved peer never would. {@link #close} releases what it holds.
 */
final class EmbeddedHttp2Peer implements AutoCloseable {
  /**
   * A frame the handler wrote. {@code value} is the error code of RST_STREAM and GOAWAY (whose
   * {@code streamId} is the last stream id and {@code data} the debug data), the increment of
   * WINDOW_UPDATE, or the data of PING.
   */
  record Frame(
      byte type,
      int streamId,
      Http2Headers headers,
      byte[] data,
      boolean endOfStream,
      long value,
      boolean ack) {
    static Frame of(byte type, int streamId, long value) {
      return new Frame(type, streamId, null, null, false, value, false);
    }
  }

  /** "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", which a client sends before its first frame. */
  private static final int PREFACE_LENGTH = 24;

  private final EmbeddedChannel channel;
  private final boolean handlerIsClient;
  private final EmbeddedChannel scratch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final ChannelHandlerContext scratchCtx = scratch.pipeline().firstContext();
  private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
  private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader();
  private final List<Frame> received = new ArrayList<>();
  private final ByteBuf unread = Unpooled.buffer();
  private boolean prefaceSkipped;

  /** A peer of {@code channel}'s handler; {@code handlerIsClient} says which end that is. */
  EmbeddedHttp2Peer(EmbeddedChannel channel, boolean handlerIsClient) {
    this.channel = channel;
    this.handlerIsClient = handlerIsClient;
  }

  /**
   * Sends the connection preface (as a client), SETTINGS, and the ACK of the handler's SETTINGS.
   */
  EmbeddedHttp2Peer handshake() {
    return handshake(new Http2Settings());
  }

  /** As {@link #handshake()}, with {@code settings} in the SETTINGS frame. */
  EmbeddedHttp2Peer handshake(Http2Settings settings) {
    if (!handlerIsClient) {
      send(Http2CodecUtil.connectionPrefaceBuf());
    }
    writer.writeSettings(scratchCtx, settings, scratchCtx.newPromise());
    writer.writeSettingsAck(scratchCtx, scratchCtx.newPromise());
    flush();
    return this;
  }

  EmbeddedHttp2Peer headers(int streamId, Http2Headers headers, boolean endOfStream) {
    writer.writeHeaders(scratchCtx, streamId, headers, 0, endOfStream, scratchCtx.newPromise());
    return flush();
  }

  EmbeddedHttp2Peer data(int streamId, byte[] data, boolean endOfStream) {
    writer.writeData(
        scratchCtx,
        streamId,
        Unpooled.wrappedBuffer(data),
        0,
        endOfStream,
        scratchCtx.newPromise());
    return flush();
  }

  EmbeddedHttp2Peer rstStream(int streamId, Http2Error error) {
    writer.writeRstStream(scratchCtx, streamId, error.code(), scratchCtx.newPromise());
    return flush();
  }

  EmbeddedHttp2Peer goAway(int lastStreamId, Http2Error error) {
    return goAway(lastStreamId, error, "");
  }

  EmbeddedHttp2Peer goAway(int lastStreamId, Http2Error error, String debugData) {
    writer.writeGoAway(
        scratchCtx,
        lastStreamId,
        error.code(),
        Unpooled.copiedBuffer(debugData, java.nio.charset.StandardCharsets.US_ASCII),
        scratchCtx.newPromise());
    return flush();
  }

  EmbeddedHttp2Peer windowUpdate(int streamId, int increment) {
    writer.writeWindowUpdate(scratchCtx, streamId, increment, scratchCtx.newPromise());
    return flush();
  }

  EmbeddedHttp2Peer ping(long data) {
    writer.writePing(scratchCtx, false, data, scratchCtx.newPromise());
    return flush();
  }

  EmbeddedHttp2Peer pingAck(long data) {
    writer.writePing(scratchCtx, true, data, scratchCtx.newPromise());
    return flush();
  }

  /** Hands what was written to the handler, and runs the tasks that queues. */
  private EmbeddedHttp2Peer flush() {
    scratch.flush();
    ByteBuf out;
    while ((out = scratch.readOutbound()) != null) {
      send(out);
    }
    return this;
  }

  private void send(ByteBuf bytes) {
    channel.writeInbound(bytes);
    channel.runPendingTasks();
  }

  /** The frames the handler has written since the last call, after running its pending tasks. */
  List<Frame> read() {
    channel.runPendingTasks();
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      unread.writeBytes(out);
      out.release();
    }
    if (handlerIsClient && !prefaceSkipped && unread.readableBytes() >= PREFACE_LENGTH) {
      unread.skipBytes(PREFACE_LENGTH);
      prefaceSkipped = true;
    }
    int from = received.size();
    try {
      while (unread.isReadable()) {
        int before = unread.readableBytes();
        reader.readFrame(scratchCtx, unread, new Recorder());
        if (unread.readableBytes() == before) {
          break; // a partial frame: wait for the rest
        }
      }
    } catch (Http2Exception e) {
      throw new AssertionError("The handler wrote a malformed frame", e);
    }
    unread.discardReadBytes();
    return List.copyOf(received.subList(from, received.size()));
  }

  /** The error code of the one GOAWAY among the frames {@link #read} returns now. */
  long readGoAwayError() {
    List<Frame> goAways = read(Http2FrameTypes.GO_AWAY);
    if (goAways.size() != 1) {
      throw new AssertionError("Expected one GOAWAY, got " + goAways);
    }
    return goAways.get(0).value();
  }

  /** The frames of {@code type} among those {@link #read} returns now. */
  List<Frame> read(byte type) {
    return read().stream().filter(f -> f.type() == type).toList();
  }

  /**
   * Closes the channel as a test ends: reads what the handler writes as it closes (its GOAWAY),
   * releases what this peer holds, and fails if anything is left unread in the channel.
   */
  void finish() {
    channel.close();
    read();
    close();
    if (channel.finishAndReleaseAll()) {
      throw new AssertionError("Messages were left in the channel");
    }
  }

  @Override
  public void close() {
    unread.release();
    reader.close();
    scratch.finishAndReleaseAll();
  }

  /**
   * Records each frame. The bare reader calls the priority variant of onHeadersRead only for
   * HEADERS that carry a priority, which tri4j never sends.
   */
  private final class Recorder extends Http2FrameAdapter {
    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      received.add(
          new Frame(
              Http2FrameTypes.DATA,
              streamId,
              null,
              ByteBufUtil.getBytes(data),
              endOfStream,
              0,
              false));
      return data.readableBytes() + padding;
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream) {
      received.add(
          new Frame(Http2FrameTypes.HEADERS, streamId, headers, null, endOfStream, 0, false));
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      received.add(Frame.of(Http2FrameTypes.RST_STREAM, streamId, errorCode));
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      received.add(Frame.of(Http2FrameTypes.SETTINGS, 0, 0));
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) {
      received.add(new Frame(Http2FrameTypes.SETTINGS, 0, null, null, false, 0, true));
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
      received.add(Frame.of(Http2FrameTypes.PING, 0, data));
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
      received.add(new Frame(Http2FrameTypes.PING, 0, null, null, false, data, true));
    }

    @Override
    public void onGoAwayRead(
        ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
      received.add(
          new Frame(
              Http2FrameTypes.GO_AWAY,
              lastStreamId,
              null,
              debugData.isReadable() ? ByteBufUtil.getBytes(debugData) : null,
              false,
              errorCode,
              false));
    }

    @Override
    public void onWindowUpdateRead(
        ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
      received.add(Frame.of(Http2FrameTypes.WINDOW_UPDATE, streamId, windowSizeIncrement));
    }
  }
}
