package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The frame writer's one-buffer frames: the same bytes as Netty's writer puts on the wire, in one
 * channel write where the payload has room, and Netty's own writing (room untouched) where it has
 * none.
 */
class HeadroomFrameWriterTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
  private final ByteBufAllocator alloc = channel.alloc();
  private final HeadroomFrameWriter writer = new HeadroomFrameWriter();
  private final DefaultHttp2FrameWriter netty =
      new DefaultHttp2FrameWriter(Http2HeadersEncoder.NEVER_SENSITIVE);

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  /** What one write put out: a hex string per buffer written to the channel. */
  private List<String> written() {
    channel.flush();
    List<String> out = new ArrayList<>();
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      out.add(ByteBufUtil.hexDump(b));
      b.release();
    }
    return out;
  }

  private ByteBuf withRoom(String payload) {
    ByteBuf data = HeadroomFrameWriter.buffer(alloc, payload.length());
    data.writeCharSequence(payload, StandardCharsets.US_ASCII);
    return data;
  }

  private String byNetty(int streamId, ByteBuf payload, boolean endStream) {
    netty.writeData(ctx, streamId, payload, 0, endStream, ctx.newPromise());
    return String.join("", written());
  }

  /**
   * Large writes compared: the frames' headers (length, type, flags, stream) first, readable when
   * they differ, then every byte.
   */
  private static void assertSameFrames(String ours, String netty) {
    assertThat(frameHeaders(ours)).isEqualTo(frameHeaders(netty));
    assertThat(ours.equals(netty)).as("the same bytes as Netty's writer").isTrue();
  }

  private static List<String> frameHeaders(String hex) {
    ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    List<String> out = new ArrayList<>();
    while (in.readableBytes() >= HeadroomFrameWriter.HEADROOM) {
      int length = in.readUnsignedMedium();
      out.add(
          length
              + " type="
              + in.readByte()
              + " flags="
              + in.readByte()
              + " stream="
              + in.readInt());
      in.skipBytes(Math.min(length, in.readableBytes()));
    }
    return out;
  }

  @Test
  void dataWithRoomGoesOutAsOneBufferHoldingNettysBytes() {
    for (boolean endStream : new boolean[] {false, true}) {
      ChannelFuture sent =
          writer.writeData(ctx, 3, withRoom("hello"), 0, endStream, ctx.newPromise());
      List<String> ours = written();

      assertThat(ours).hasSize(1);
      assertThat(ours.get(0))
          .isEqualTo(
              byNetty(3, Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII), endStream));
      assertThat(sent.isSuccess()).isTrue();
    }
  }

  @Test
  void dataWithoutRoomIsWrittenAsNettyWritesIt() {
    ByteBuf plain = Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII);
    writer.writeData(ctx, 5, plain, 0, true, ctx.newPromise());
    List<String> ours = written();

    assertThat(ours).hasSize(2); // frame header, then the payload
    netty.writeData(
        ctx,
        5,
        Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII),
        0,
        true,
        ctx.newPromise());
    assertThat(ours).isEqualTo(written());
  }

  @Test
  void roomIsNeverFilledInABufferSomeoneElseHolds() {
    ByteBuf data = withRoom("shared");
    ByteBuf room = data.retainedSlice(0, HeadroomFrameWriter.HEADROOM); // a second holder
    String before = ByteBufUtil.hexDump(room);

    writer.writeData(ctx, 3, data, 0, false, ctx.newPromise());

    assertThat(written()).hasSize(2);
    assertThat(ByteBufUtil.hexDump(room)).isEqualTo(before);
    room.release();
  }

  @Test
  void bytesBeforeTheReaderIndexWithoutTheMarkAreNotTakenForRoom() {
    ByteBuf data = alloc.directBuffer(32);
    data.writeLong(0x0102030405060708L).writeByte(9); // nine bytes of someone's content
    data.writeCharSequence("payload", StandardCharsets.US_ASCII);
    data.readerIndex(HeadroomFrameWriter.HEADROOM);

    assertThat(HeadroomFrameWriter.hasRoom(data)).isFalse();
    writer.writeData(ctx, 3, data, 0, false, ctx.newPromise());
    assertThat(written()).hasSize(2); // frame header, then the payload: no room was used
  }

  @Test
  void aViewWithACountOfItsOwnHasNoRoom() {
    ByteBuf data = HeadroomFrameWriter.buffer(PooledByteBufAllocator.DEFAULT, 8).writeLong(42);
    ByteBuf view = data.retainedDuplicate(); // pooled: a count of its own, the same memory

    assertThat(view.refCnt()).isEqualTo(1);
    assertThat(HeadroomFrameWriter.hasRoom(view)).isFalse();
    assertThat(HeadroomFrameWriter.hasRoom(data)).isFalse();
    view.release();
    assertThat(HeadroomFrameWriter.hasRoom(data)).isTrue();
    data.release();
  }

  @Test
  void theRemainderOfASplitPayloadHasNoRoom() {
    ByteBuf data = withRoom("0123456789");
    ByteBuf first = data.readRetainedSlice(4); // as flow control takes what the window allows
    assertThat(HeadroomFrameWriter.hasRoom(first)).isFalse();
    assertThat(HeadroomFrameWriter.hasRoom(data)).isFalse();
    first.release();
    data.release();
  }

  @Test
  void dataLargerThanAFrameIsSplitAsNettySplitsIt() throws Exception {
    writer.maxFrameSize(16_384);
    netty.maxFrameSize(16_384);
    String payload = "x".repeat(40_000);

    writer.writeData(ctx, 7, withRoom(payload), 0, true, ctx.newPromise());
    String ours = String.join("", written());

    assertSameFrames(
        ours, byNetty(7, Unpooled.copiedBuffer(payload, StandardCharsets.US_ASCII), true));
  }

  private static Http2Headers headers(String value) {
    return new DefaultHttp2Headers()
        .status("200")
        .add("content-type", "application/grpc")
        .add("x-value", value);
  }

  /** Both writers' header blocks, over several frames, so that HPACK's tables evolve alike. */
  @Test
  void headersGoOutAsOneBufferHoldingNettysBytes() {
    for (int i = 0; i < 3; i++) {
      boolean endStream = i == 1;
      ChannelFuture sent =
          writer.writeHeaders(ctx, 3 + 2 * i, headers("v" + i), 0, endStream, ctx.newPromise());
      List<String> ours = written();

      assertThat(ours).hasSize(1);
      assertThat(sent.isSuccess()).isTrue();
      netty.writeHeaders(ctx, 3 + 2 * i, headers("v" + i), 0, endStream, ctx.newPromise());
      assertThat(ours.get(0)).isEqualTo(String.join("", written()));
    }
  }

  @Test
  void aHeaderBlockLargerThanAFrameGoesOutWithContinuationFramesAsNettyWritesThem()
      throws Exception {
    writer.maxFrameSize(16_384);
    netty.maxFrameSize(16_384);
    Http2Headers large = headers("y".repeat(40_000));

    writer.writeHeaders(ctx, 9, large, 0, true, ctx.newPromise());
    List<String> ours = written();

    assertThat(ours).hasSize(1);
    netty.writeHeaders(ctx, 9, large, 0, true, ctx.newPromise());
    assertSameFrames(ours.get(0), String.join("", written()));
  }

  @Test
  void paddedHeadersAreWrittenAsNettyWritesThem() {
    writer.writeHeaders(ctx, 3, headers("p"), 4, false, ctx.newPromise());
    List<String> ours = written();

    assertThat(ours.size()).isGreaterThan(1);
    netty.writeHeaders(ctx, 3, headers("p"), 4, false, ctx.newPromise());
    assertThat(ours).isEqualTo(written());
  }

  @Test
  void aBadStreamIdFailsTheWrite() {
    ChannelFuture sent = writer.writeHeaders(ctx, 0, headers("z"), 0, false, ctx.newPromise());

    assertThat(sent.cause()).isInstanceOf(IllegalArgumentException.class);
    assertThat(written()).isEmpty();
  }

  /** Sets the header list size the peer announced, on both writers. */
  private void peerAllows(long maxHeaderListSize) throws Http2Exception {
    writer.headersConfiguration().maxHeaderListSize(maxHeaderListSize);
    netty.headersConfiguration().maxHeaderListSize(maxHeaderListSize);
  }

  @Test
  void headersOverThePeersListSize_failTheWrite_asNettysEncoderDoes_andLeaveHpackAsItWas()
      throws Exception {
    Http2Headers big = headers("b".repeat(200));
    long size = HeadroomFrameWriter.listSize(big);
    assertThat(size)
        .as("names, values and 32 bytes a field")
        .isEqualTo(7 + 3 + 12 + 16 + 7 + 200 + 96);
    peerAllows(size - 1);

    ChannelFuture ours = writer.writeHeaders(ctx, 3, big, 0, false, ctx.newPromise());
    assertThat(written()).isEmpty();
    ChannelFuture nettys = netty.writeHeaders(ctx, 3, big, 0, false, ctx.newPromise());
    written();

    assertThat(ours.cause()).isInstanceOf(Http2Exception.class);
    assertThat(ours.cause()).hasMessage(nettys.cause().getMessage());
    assertThat(Http2Exception.isStreamError((Http2Exception) ours.cause())).isTrue();
    // Both encoders' tables unchanged: the next block is the same bytes again.
    peerAllows(size);
    writer.writeHeaders(ctx, 5, big, 0, false, ctx.newPromise());
    List<String> after = written();
    netty.writeHeaders(ctx, 5, big, 0, false, ctx.newPromise());
    assertThat(after).containsExactly(String.join("", written()));
  }

  @Test
  void aFixedHeaderSet_isCheckedAgainstTheLimitInForceEachTime() throws Exception {
    Http2Headers fixed =
        ReadOnlyHttp2Headers.serverHeaders(
            false,
            AsciiString.of("200"),
            AsciiString.of("content-type"),
            AsciiString.of("application/grpc"));
    Http2Headers other =
        ReadOnlyHttp2Headers.trailers(false, AsciiString.of("grpc-status"), AsciiString.of("0"));
    long size = HeadroomFrameWriter.listSize(fixed);
    peerAllows(size);
    ChannelFuture first = writer.writeHeaders(ctx, 3, fixed, 0, false, ctx.newPromise());
    ChannelFuture second = writer.writeHeaders(ctx, 3, other, 0, true, ctx.newPromise());
    assertThat(written()).hasSize(2);
    assertThat(first.isSuccess()).isTrue();
    assertThat(second.isSuccess()).isTrue();

    peerAllows(size - 1);

    ChannelFuture sent = writer.writeHeaders(ctx, 5, fixed, 0, false, ctx.newPromise());
    assertThat(sent.cause()).isInstanceOf(Http2Exception.class);
    assertThat(written()).isEmpty();
  }

  @Test
  void headersWithPriority_areCheckedToo() throws Exception {
    peerAllows(40);
    ChannelFuture sent =
        writer.writeHeaders(ctx, 3, headers("v"), 0, (short) 16, false, 0, false, ctx.newPromise());
    assertThat(sent.cause()).isInstanceOf(Http2Exception.class);
    assertThat(written()).isEmpty();
  }
}
