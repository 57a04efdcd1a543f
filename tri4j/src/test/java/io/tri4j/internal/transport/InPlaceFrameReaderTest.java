package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameReader;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The in-place reader against Netty's: the same frames, given whole, a byte at a time and in random
 * pieces, must reach the listener as the same calls with the same arguments (payload bytes,
 * headers, flags), and fail with the same errors; the frames read in place must not have gone
 * through Netty's reader.
 */
class InPlaceFrameReaderTest {
  private static final int MAX_HEADER_LIST_SIZE = 8192;

  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
  private final DefaultHttp2FrameWriter writer =
      new DefaultHttp2FrameWriter(Http2HeadersEncoder.NEVER_SENSITIVE);

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  /** The bytes {@code writes} put on the channel, as one buffer. */
  private byte[] wire(Consumer<DefaultHttp2FrameWriter> writes) {
    writes.accept(writer);
    channel.flush();
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      all.writeBytes(b);
      b.release();
    }
    byte[] bytes = ByteBufUtil.getBytes(all);
    all.release();
    return bytes;
  }

  private static Http2Headers request(String path) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path(path)
        .authority("localhost")
        .add("content-type", "application/grpc")
        .add("te", "trailers")
        .add("x-user", "someone");
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  /** A raw frame: the 9-byte header and {@code payload}. */
  private static byte[] frame(int type, int flags, int streamId, byte[] payload) {
    ByteBuf b = Unpooled.buffer();
    b.writeMedium(payload.length).writeByte(type).writeByte(flags).writeInt(streamId);
    b.writeBytes(payload);
    return ByteBufUtil.getBytes(b);
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuf b = Unpooled.buffer();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return ByteBufUtil.getBytes(b);
  }

  /** A reader's run over some input: the listener's calls, errors included, in order. */
  private static final class Run {
    final List<String> events = new ArrayList<>();
    int framesToNetty;
  }

  private static Http2FrameListener recorder(List<String> events) {
    return (Http2FrameListener)
        Proxy.newProxyInstance(
            InPlaceFrameReaderTest.class.getClassLoader(),
            new Class<?>[] {Http2FrameListener.class},
            (proxy, method, args) -> {
              StringBuilder line = new StringBuilder(method.getName());
              for (Object arg : args) {
                line.append(' ').append(describe(arg));
              }
              events.add(line.toString());
              return method.getReturnType() == int.class ? 0 : null;
            });
  }

  private static String describe(Object arg) {
    if (arg instanceof ChannelHandlerContext) {
      return "ctx";
    }
    if (arg instanceof ByteBuf b) {
      return "bytes=" + ByteBufUtil.hexDump(b);
    }
    if (arg instanceof Http2Headers h) {
      StringBuilder s = new StringBuilder("{");
      for (Map.Entry<CharSequence, CharSequence> e : h) {
        s.append(e.getKey()).append('=').append(e.getValue()).append(';');
      }
      return s.append('}').toString();
    }
    if (arg instanceof Http2Flags f) {
      return "flags=" + f.value();
    }
    return String.valueOf(arg);
  }

  /**
   * Feeds {@code bytes} to {@code reader} in pieces of the sizes {@code pieces} gives, keeping the
   * unread rest as Netty's decoder does, and after an error going on with what is left, as Netty's
   * connection handler does after a stream error.
   */
  private static void feed(
      Http2FrameReader reader, ChannelHandlerContext ctx, byte[] bytes, Random pieces, Run run) {
    Http2FrameListener listener = recorder(run.events);
    ByteBuf cumulation = Unpooled.buffer();
    int offset = 0;
    try {
      while (offset < bytes.length) {
        int n =
            pieces == null ? bytes.length : Math.min(bytes.length - offset, 1 + pieces.nextInt(24));
        cumulation.writeBytes(bytes, offset, n);
        offset += n;
        while (cumulation.isReadable()) {
          int before = cumulation.readerIndex();
          try {
            reader.readFrame(ctx, cumulation, listener);
          } catch (Http2Exception e) {
            run.events.add(
                (Http2Exception.isStreamError(e) ? "stream error " : "connection error ")
                    + e.error()
                    + ": "
                    + e.getMessage());
          }
          if (cumulation.readerIndex() == before) {
            break; // waits for more bytes
          }
        }
        cumulation.discardReadBytes();
      }
      run.events.add("left " + cumulation.readableBytes());
    } finally {
      cumulation.release();
      reader.close();
    }
  }

  private static Http2FrameReader netty() {
    return new DefaultHttp2FrameReader(
        new Http2Codecs.InboundHeadersDecoder(MAX_HEADER_LIST_SIZE),
        Http2Codecs.MAX_SMALL_CONTINUATION_FRAMES);
  }

  private Run inPlace(byte[] bytes, Random pieces) {
    Run run = new Run();
    Http2Codecs.InboundHeadersDecoder decoder =
        new Http2Codecs.InboundHeadersDecoder(MAX_HEADER_LIST_SIZE);
    Http2FrameReader counted =
        new DefaultHttp2FrameReader(decoder, Http2Codecs.MAX_SMALL_CONTINUATION_FRAMES) {
          @Override
          public void readFrame(
              ChannelHandlerContext ctx, ByteBuf input, Http2FrameListener listener)
              throws Http2Exception {
            run.framesToNetty++;
            super.readFrame(ctx, input, listener);
          }
        };
    feed(new InPlaceFrameReader(counted, decoder), ctx, bytes, pieces, run);
    return run;
  }

  private Run byNetty(byte[] bytes, Random pieces) {
    Run run = new Run();
    feed(netty(), ctx, bytes, pieces, run);
    return run;
  }

  /**
   * Both readers over {@code bytes}, whole, a byte at a time and in random pieces: the same calls;
   * returns the in-place reader's run over the whole input.
   */
  private Run assertSameAsNetty(byte[] bytes) {
    Run expected = byNetty(bytes, null);
    Run whole = inPlace(bytes, null);
    assertThat(whole.events).isEqualTo(expected.events);
    Random seeds = new Random(7);
    for (int i = 0; i < 20; i++) {
      long seed = seeds.nextLong();
      assertThat(inPlace(bytes, new Random(seed)).events)
          .as("in pieces, seed %d", seed)
          .isEqualTo(byNetty(bytes, new Random(seed)).events);
    }
    return whole;
  }

  @Test
  void aCallsFrames_areReadInPlace_asNettyReadsThem() {
    byte[] bytes =
        wire(
            w -> {
              w.writeSettings(ctx, new Http2Settings().maxHeaderListSize(8192), ctx.newPromise());
              w.writeHeaders(ctx, 1, request("/a.Greeter/Greet"), 0, false, ctx.newPromise());
              w.writeData(ctx, 1, ascii("\0\0\0\0\3abc"), 0, true, ctx.newPromise());
              w.writeHeaders(ctx, 3, request("/a.Greeter/Greet"), 0, true, ctx.newPromise());
              w.writeData(ctx, 3, Unpooled.EMPTY_BUFFER, 0, true, ctx.newPromise());
              w.writePing(ctx, false, 42, ctx.newPromise());
              w.writeWindowUpdate(ctx, 0, 1000, ctx.newPromise());
              w.writeRstStream(ctx, 3, Http2Error.CANCEL.code(), ctx.newPromise());
            });
    Run run = assertSameAsNetty(bytes);
    assertThat(run.events)
        .anyMatch(
            e -> e.startsWith("onHeadersRead ctx 1 {") && e.contains(":path=/a.Greeter/Greet;"))
        .contains("onDataRead ctx 1 bytes=0000000003616263 0 true");
    assertThat(run.framesToNetty).as("SETTINGS, PING, WINDOW_UPDATE, RST_STREAM").isEqualTo(4);
  }

  @Test
  void headersReadInPlace_shareHpacksTableWithNettysReader() {
    // Indexed entries made by one reader are used by the other: the second block refers to the
    // first's, the third (padded, so Netty's) to both.
    byte[] bytes =
        wire(
            w -> {
              w.writeHeaders(ctx, 1, request("/x"), 0, false, ctx.newPromise());
              w.writeHeaders(ctx, 3, request("/x"), 0, false, ctx.newPromise());
              w.writeHeaders(ctx, 5, request("/x"), 4, false, ctx.newPromise());
              w.writeHeaders(ctx, 7, request("/x"), 0, false, ctx.newPromise());
            });
    Run run = assertSameAsNetty(bytes);
    assertThat(run.events).filteredOn(e -> e.contains("x-user=someone")).hasSize(4);
    assertThat(run.framesToNetty).isEqualTo(1);
  }

  @Test
  void paddedAndPrioritizedFrames_areNettys() {
    byte[] bytes =
        wire(
            w -> {
              w.writeHeaders(
                  ctx, 1, request("/p"), 3, (short) 20, false, 2, false, ctx.newPromise());
              w.writeData(ctx, 1, ascii("padded"), 7, false, ctx.newPromise());
              w.writePriority(ctx, 1, 0, (short) 16, false, ctx.newPromise());
            });
    Run run = assertSameAsNetty(bytes);
    assertThat(run.framesToNetty).isEqualTo(3);
  }

  @Test
  void aHeaderBlockInContinuationFrames_isNettysToTheEnd_thenReadingInPlaceGoesOn() {
    Http2Headers big = request("/c");
    big.add("x-long", "v".repeat(3000));
    byte[] bytes =
        wire(
            w -> {
              try {
                w.configuration().frameSizePolicy().maxFrameSize(16_384);
                w.configuration().headersConfiguration().maxHeaderListSize(Integer.MAX_VALUE);
              } catch (Http2Exception e) {
                throw new AssertionError(e);
              }
              w.writeHeaders(ctx, 1, big, 0, false, ctx.newPromise());
            });
    // Split the block: HEADERS without END_HEADERS, two CONTINUATIONs, then a call's DATA.
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    int length = in.readUnsignedMedium();
    in.skipBytes(2);
    int streamId = in.readInt();
    byte[] block = new byte[length];
    in.readBytes(block);
    int a = block.length / 3;
    int b = 2 * block.length / 3;
    byte[] split =
        concat(
            frame(1, 0, streamId, java.util.Arrays.copyOfRange(block, 0, a)),
            frame(9, 0, streamId, java.util.Arrays.copyOfRange(block, a, b)),
            frame(9, 4, streamId, java.util.Arrays.copyOfRange(block, b, block.length)),
            frame(0, 1, streamId, "hello".getBytes(StandardCharsets.US_ASCII)));
    Run run = assertSameAsNetty(split);
    assertThat(run.events).anyMatch(e -> e.startsWith("onHeadersRead") && e.contains("x-long="));
    assertThat(run.framesToNetty).as("the block's three frames").isEqualTo(3);
  }

  @Test
  void aFrameOtherThanContinuation_amidAHeaderBlock_failsTheConnection() {
    byte[] bytes =
        concat(
            frame(1, 0, 1, new byte[] {(byte) 0x82}), // :method GET, block not ended
            frame(0, 1, 1, new byte[] {1, 2, 3}));
    Run run = assertSameAsNetty(bytes);
    assertThat(run.events).anyMatch(e -> e.startsWith("connection error PROTOCOL_ERROR"));
    assertThat(run.events).noneMatch(e -> e.startsWith("onDataRead"));
  }

  @Test
  void dataOrHeadersOnStreamZero_failTheConnection_andTheRestIsSkipped() {
    byte[] data0 = concat(frame(0, 0, 0, new byte[] {1}), frame(0, 0, 1, new byte[] {2}));
    Run run = assertSameAsNetty(data0);
    assertThat(run.events).first().asString().startsWith("connection error PROTOCOL_ERROR");
    assertThat(run.events).noneMatch(e -> e.startsWith("onDataRead"));
    assertSameAsNetty(
        concat(frame(1, 4, 0, new byte[] {(byte) 0x82}), frame(0, 0, 1, new byte[1])));
  }

  @Test
  void aFrameLongerThanTheLargestAccepted_failsTheConnectionBeforeItArrives() {
    byte[] header = frame(0, 0, 1, new byte[0]);
    header[0] = 0;
    header[1] = 0x40; // 16,384 + 1 bytes announced
    header[2] = 0x01;
    Run run = assertSameAsNetty(header);
    assertThat(run.events).first().asString().startsWith("connection error FRAME_SIZE_ERROR");
  }

  @Test
  void aBrokenHeaderBlock_failsTheConnection_andNothingAfterItIsRead() {
    byte[] bytes =
        concat(
            frame(1, 5, 1, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}),
            frame(0, 1, 1, new byte[] {1}));
    Run run = assertSameAsNetty(bytes);
    assertThat(run.events).first().asString().startsWith("connection error COMPRESSION_ERROR");
    assertThat(run.events).containsExactly(run.events.get(0), "left 0");
  }

  @Test
  void aHeaderListOverTheLimit_isAStreamError_andTheNextFramesAreStillRead() {
    Http2Headers big = request("/big");
    big.add("x-big", "v".repeat(MAX_HEADER_LIST_SIZE));
    byte[] bytes =
        wire(
            w -> {
              w.writeHeaders(ctx, 1, big, 0, true, ctx.newPromise());
              w.writeHeaders(ctx, 3, request("/small"), 0, true, ctx.newPromise());
            });
    Run run = assertSameAsNetty(bytes);
    assertThat(run.events).anyMatch(e -> e.startsWith("stream error"));
    assertThat(run.events)
        .anyMatch(e -> e.startsWith("onHeadersRead ctx 3 {") && e.contains(":path=/small;"));
    assertThat(run.framesToNetty).isZero();
  }

  @Test
  void aStreamErrorFromTheListener_consumesItsFrame_andReadingGoesOn() throws Exception {
    byte[] bytes = concat(frame(0, 0, 1, new byte[] {1, 2}), frame(0, 1, 3, new byte[] {3, 4}));
    List<String> events = new ArrayList<>();
    Http2FrameListener record = recorder(events);
    Http2FrameListener failsFirst =
        (Http2FrameListener)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Http2FrameListener.class},
                (proxy, method, args) -> {
                  method.invoke(record, args);
                  if ((int) args[1] == 1) {
                    throw Http2Exception.streamError(1, Http2Error.STREAM_CLOSED, "closed");
                  }
                  return 0;
                });
    Http2Codecs.InboundHeadersDecoder decoder =
        new Http2Codecs.InboundHeadersDecoder(MAX_HEADER_LIST_SIZE);
    InPlaceFrameReader reader =
        new InPlaceFrameReader(new DefaultHttp2FrameReader(decoder), decoder);
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    try {
      Http2Exception e = null;
      try {
        reader.readFrame(ctx, in, failsFirst);
      } catch (Http2Exception thrown) {
        e = thrown;
      }
      assertThat(e).isNotNull();
      assertThat(in.readerIndex()).as("the failed frame consumed").isEqualTo(11);
      assertThat(in.writerIndex()).isEqualTo(bytes.length);
      reader.readFrame(ctx, in, failsFirst);
      assertThat(events)
          .containsExactly(
              "onDataRead ctx 1 bytes=0102 0 false", "onDataRead ctx 3 bytes=0304 0 true");
      assertThat(in.isReadable()).isFalse();
    } finally {
      in.release();
    }
  }
}
