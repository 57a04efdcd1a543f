package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DATA written at once where flow control has nothing to decide, and through Netty's flow
 * controller otherwise: a server's encoder in an embedded channel, its client a raw peer that
 * chooses the windows.
 */
class DirectFrameEncoderTest {
  /** A server handler on tri4j's encoder; the frames it reads are consumed at once. */
  private static final class Handler extends Http2ConnectionHandler {
    Handler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder) {
      super(decoder, encoder, new Http2Settings());
    }
  }

  /** Fails the next DATA frame written through it when asked to, as a broken socket would. */
  private static final class FailingData extends ChannelOutboundHandlerAdapter {
    boolean failNext;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ByteBuf frame = (ByteBuf) msg;
      if (failNext
          && frame.readableBytes() >= HeadroomFrameWriter.HEADROOM
          && frame.getByte(frame.readerIndex() + 3) == Http2FrameTypes.DATA) {
        failNext = false;
        frame.release();
        promise.setFailure(new IOException("the test's socket refused the frame"));
        return;
      }
      ctx.write(msg, promise);
    }
  }

  private final FailingData failing = new FailingData();
  private final Http2Connection connection = new DefaultHttp2Connection(true);
  private final Http2ConnectionEncoder encoder =
      new DirectFrameEncoder(
          new DefaultHttp2ConnectionEncoder(connection, new HeadroomFrameWriter()));
  private Handler handler;
  private EmbeddedChannel channel;
  private ChannelHandlerContext ctx;
  private EmbeddedHttp2Peer client;

  /** Connects a client whose streams' windows start at {@code window} bytes. */
  private void connect(int window) {
    connect(new Http2Settings().initialWindowSize(window));
  }

  /** Connects a client that sends {@code settings}. */
  private void connect(Http2Settings settings) {
    Http2ConnectionDecoder decoder =
        new DefaultHttp2ConnectionDecoder(connection, encoder, new DefaultHttp2FrameReader());
    decoder.frameListener(new Http2FrameAdapter());
    handler = new Handler(decoder, encoder);
    channel = new EmbeddedChannel(failing, handler);
    ctx = channel.pipeline().context(handler);
    client = new EmbeddedHttp2Peer(channel, false).handshake(settings);
    client.read();
  }

  @AfterEach
  void finish() {
    client.finish();
  }

  private Http2Stream open(int streamId) {
    client.headers(
        streamId, new DefaultHttp2Headers().method("POST").path("/s/m").scheme("http"), false);
    return connection.stream(streamId);
  }

  private ChannelFuture write(int streamId, String text, boolean endStream) {
    ChannelFuture sent =
        encoder.writeData(
            ctx,
            streamId,
            Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII),
            0,
            endStream,
            ctx.newPromise());
    return sent;
  }

  /** The DATA frames the client read: "3:hello", with "|" for END_STREAM. */
  private List<String> dataRead() {
    channel.flush();
    return client.read(Http2FrameTypes.DATA).stream().map(DirectFrameEncoderTest::text).toList();
  }

  /** Writes headers with a promise no one waits for, as tri4j's server writes them. */
  private ChannelFuture headers(int streamId, Http2Headers headers, boolean endStream) {
    return encoder.writeHeaders(
        ctx, streamId, headers, 0, endStream, new VoidChannelPromise(channel, false));
  }

  /**
   * The HEADERS, DATA and RST_STREAM frames the client read: HEADERS as "3:H" and their :status or
   * grpc-status, DATA as in {@link #dataRead}, RST_STREAM as "3:RST" and the error code.
   */
  private List<String> framesRead() {
    channel.flush();
    return client.read().stream()
        .map(DirectFrameEncoderTest::text)
        .filter(text -> !text.isEmpty())
        .toList();
  }

  private static String text(EmbeddedHttp2Peer.Frame f) {
    String end = f.endOfStream() ? "|" : "";
    return switch (f.type()) {
      case Http2FrameTypes.HEADERS ->
          f.streamId()
              + ":H"
              + (f.headers().status() != null
                  ? f.headers().status()
                  : f.headers().get("grpc-status"))
              + end;
      case Http2FrameTypes.DATA ->
          f.streamId() + ":" + new String(f.data(), StandardCharsets.US_ASCII) + end;
      case Http2FrameTypes.RST_STREAM -> f.streamId() + ":RST" + f.value();
      default -> "";
    };
  }

  private static Http2Headers response() {
    return new DefaultHttp2Headers().status("200").add("content-type", "application/grpc");
  }

  private static Http2Headers trailers() {
    return new DefaultHttp2Headers().add("grpc-status", "0");
  }

  private Http2RemoteFlowController flow() {
    return encoder.flowController();
  }

  @Test
  void dataTheWindowsCoverIsWrittenAtOnceAndTakenFromBothWindows() {
    connect(65_535);
    Http2Stream stream = open(3);
    int connectionWindow = flow().windowSize(connection.connectionStream());

    write(3, "hello", false);

    assertThat(flow().hasFlowControlled(stream)).as("queued in Netty's flow controller").isFalse();
    assertThat(flow().windowSize(stream)).isEqualTo(65_535 - 5);
    assertThat(flow().windowSize(connection.connectionStream())).isEqualTo(connectionWindow - 5);
    assertThat(dataRead()).containsExactly("3:hello");
  }

  @Test
  void dataLargerThanTheWindowWaitsInNettysFlowControllerAndOtherDataQueuesThereToo() {
    connect(4);
    Http2Stream three = open(3);
    Http2Stream five = open(5);

    write(3, "0123456789", false);
    assertThat(flow().hasFlowControlled(three)).isTrue();
    assertThat(dataRead()).containsExactly("3:0123");

    write(5, "ab", false); // its windows cover it, but stream 3's data waits in Netty's queue
    assertThat(flow().hasFlowControlled(five)).isTrue();
    assertThat(dataRead()).containsExactly("5:ab");

    client.windowUpdate(3, 100);
    assertThat(dataRead()).containsExactly("3:456789");
    assertThat(flow().hasFlowControlled(three)).isFalse();

    write(5, "cd", false); // nothing waits any more
    assertThat(flow().hasFlowControlled(five)).isFalse();
    assertThat(dataRead()).containsExactly("5:cd");
  }

  @Test
  void endStreamOnADirectWriteClosesTheStreamsSendingSide() {
    connect(65_535);
    Http2Stream stream = open(3);

    ChannelFuture sent = write(3, "last", true);

    assertThat(flow().hasFlowControlled(stream)).as("queued in Netty's flow controller").isFalse();
    assertThat(dataRead()).containsExactly("3:last|");
    assertThat(sent.isSuccess()).isTrue();
    assertThat(stream.state()).isEqualTo(Http2Stream.State.HALF_CLOSED_LOCAL);
  }

  @Test
  void dataOnAStreamThatCannotSendFailsAsNettysEncoderFailsIt() {
    connect(65_535);
    open(3);
    write(3, "end", true);
    dataRead();

    ChannelFuture late = write(3, "late", false);

    assertThat(late.cause()).isInstanceOf(IllegalStateException.class);
    assertThat(dataRead()).isEmpty();
  }

  @Test
  void aDirectWriteThatFailsIsAConnectionError() {
    connect(65_535);
    Http2Stream stream = open(3);
    failing.failNext = true;

    // With room for the frame header, as tri4j's messages have it: the frame is one buffer.
    ByteBuf data = HeadroomFrameWriter.buffer(channel.alloc(), 4);
    data.writeCharSequence("lost", StandardCharsets.US_ASCII);
    ChannelFuture sent = encoder.writeData(ctx, 3, data, 0, false, ctx.newPromise());

    assertThat(flow().hasFlowControlled(stream)).isFalse(); // it was written at once
    channel.flush();
    assertThat(sent.cause()).isInstanceOf(IOException.class);
    assertThat(client.readGoAwayError()).isEqualTo(Http2Error.INTERNAL_ERROR.code());
  }

  /**
   * Writes DATA with a void promise, as tri4j's server writes a stream's last; returns whether it
   * was written at once (the void promise comes back) rather than given to Netty's flow controller
   * with a promise of its own.
   */
  private boolean writeLast(int streamId, String text) {
    ChannelFuture sent =
        encoder.writeData(
            ctx,
            streamId,
            Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII),
            0,
            false,
            new VoidChannelPromise(channel, false));
    return sent.isVoid();
  }

  @Test
  void lastDataTheWindowsCoverIsWrittenWithoutAPromise_andTheTrailersFollowIt() {
    connect(65_535);
    Http2Stream stream = open(3);
    client.data(3, new byte[0], true);
    int windowBefore = flow().windowSize(stream);

    assertThat(writeLast(3, "reply")).isTrue();
    headers(3, trailers(), true);

    assertThat(flow().windowSize(stream)).isEqualTo(windowBefore - 5);
    assertThat(flow().hasFlowControlled(stream)).isFalse();
    assertThat(framesRead()).containsExactly("3:reply", "3:H0|");
    assertThat(stream.state()).isEqualTo(Http2Stream.State.CLOSED);
  }

  @Test
  void voidDataThatMustWaitForTheWindow_getsAPromiseOfItsOwn_andFollowsWhatWaitsBeforeIt() {
    connect(4);
    Http2Stream three = open(3);
    open(5);

    assertThat(writeLast(3, "0123456789")).as("larger than the window").isFalse();
    assertThat(flow().hasFlowControlled(three)).isTrue();
    assertThat(writeLast(5, "ab")).as("behind DATA waiting in the flow controller").isFalse();
    assertThat(dataRead()).containsExactly("3:0123", "5:ab");

    client.windowUpdate(3, 100);
    assertThat(dataRead()).containsExactly("3:456789");
    assertThat(writeLast(5, "cd")).as("nothing waits any more").isTrue();
    assertThat(dataRead()).containsExactly("5:cd");
  }

  @Test
  void voidDataThatEndsTheStream_getsAPromiseOfItsOwn_andClosesTheSendingSide() {
    connect(65_535);
    Http2Stream stream = open(3);

    ChannelFuture sent =
        encoder.writeData(
            ctx,
            3,
            Unpooled.copiedBuffer("end", StandardCharsets.US_ASCII),
            0,
            true,
            new VoidChannelPromise(channel, false));

    assertThat(sent.isVoid()).as("closing the stream waits for the write").isFalse();
    assertThat(dataRead()).containsExactly("3:end|");
    assertThat(sent.isSuccess()).isTrue();
    assertThat(stream.state()).isEqualTo(Http2Stream.State.HALF_CLOSED_LOCAL);
  }

  @Test
  void emptyDataGoesThroughNettysFlowController() {
    connect(65_535);
    Http2Stream stream = open(3);

    write(3, "", true);

    assertThat(flow().hasFlowControlled(stream)).isTrue();
    assertThat(dataRead()).containsExactly("3:|");
  }

  @Test
  void headersNoOneWaitsForAreWrittenWithoutAPromiseAndTrailersCloseTheStreamAtOnce() {
    connect(65_535);
    Http2Stream stream = open(3);
    client.data(3, new byte[0], true);

    ChannelFuture headersSent = headers(3, response(), false);
    write(3, "reply", false);
    ChannelFuture trailersSent = headers(3, trailers(), true);

    // Netty's encoder would have made promises of its own for both.
    assertThat(headersSent.isVoid()).as("written without a promise").isTrue();
    assertThat(trailersSent.isVoid()).as("written without a promise").isTrue();
    assertThat(stream.isHeadersSent()).isTrue();
    assertThat(stream.isTrailersSent()).isTrue();
    // Closed before the write completes: the trailers are in the channel, ahead of what follows.
    assertThat(stream.state()).isEqualTo(Http2Stream.State.CLOSED);
    assertThat(framesRead()).containsExactly("3:H200", "3:reply", "3:H0|");
  }

  @Test
  void trailersOnAStreamTheClientStillSendsOnCloseOnlyItsSendingSide() {
    connect(65_535);
    Http2Stream stream = open(3);

    ChannelFuture trailersSent = headers(3, trailers(), true); // trailers only: no headers before

    assertThat(trailersSent.isVoid()).as("written without a promise").isTrue();
    assertThat(stream.state()).isEqualTo(Http2Stream.State.HALF_CLOSED_LOCAL);
    assertThat(framesRead()).containsExactly("3:H0|");
  }

  @Test
  void trailersBehindDataThatWaitsForTheWindowGoThroughNettysEncoderAndFollowIt() {
    connect(4);
    Http2Stream stream = open(3);
    client.data(3, new byte[0], true);
    headers(3, response(), false);
    write(3, "0123456789", false);
    assertThat(framesRead()).containsExactly("3:H200", "3:0123");

    ChannelFuture trailersSent = headers(3, trailers(), true);

    assertThat(flow().hasFlowControlled(stream)).as("queued behind the data").isTrue();
    assertThat(stream.state()).isEqualTo(Http2Stream.State.HALF_CLOSED_REMOTE);
    client.windowUpdate(3, 100);
    assertThat(framesRead()).containsExactly("3:456789", "3:H0|");
    assertThat(stream.state()).isEqualTo(Http2Stream.State.CLOSED);
  }

  @Test
  void whileAGracefulCloseWaitsForTheLastStreamItsTrailersGoOutBeforeTheConnectionCloses() {
    connect(65_535);
    Http2Stream stream = open(3);
    client.data(3, new byte[0], true);
    headers(3, response(), false);
    handler.gracefulShutdownTimeoutMillis(-1); // no deadline: the close waits for stream 3
    channel
        .pipeline()
        .close(); // Netty's graceful close: GOAWAY, then the close once no stream is left
    assertThat(channel.isOpen()).as("waiting for stream 3").isTrue();

    ChannelFuture trailersSent = headers(3, trailers(), true);

    // Closing the stream at once would close the connection with the trailers still unflushed.
    assertThat(trailersSent.isVoid()).as("handed to Netty's encoder").isFalse();
    assertThat(stream.state()).isEqualTo(Http2Stream.State.HALF_CLOSED_REMOTE);
    assertThat(framesRead()).containsExactly("3:H200", "3:H0|");
    assertThat(stream.state()).isEqualTo(Http2Stream.State.CLOSED);
    assertThat(channel.isOpen()).as("closed after the last stream").isFalse();
  }

  @Test
  void headersThatCannotBeEncodedResetTheStream() throws Exception {
    connect(65_535);
    Http2Stream stream = open(3);
    // A limit on header sets sent, as a client's SETTINGS give it (Netty applies them to clients).
    encoder.frameWriter().configuration().headersConfiguration().maxHeaderListSize(100);
    Http2Headers large = response().add("x-large", "x".repeat(200));

    ChannelFuture headersSent = headers(3, large, false);

    assertThat(framesRead()).containsExactly("3:RST" + Http2Error.PROTOCOL_ERROR.code());
    assertThat(stream.state()).isEqualTo(Http2Stream.State.CLOSED);
    assertThat(headersSent.isVoid()).as("written without a promise").isTrue();
    assertThat(stream.isHeadersSent()).isFalse();
  }

  @Test
  void trailersThatCannotBeEncodedResetTheStream() throws Exception {
    connect(65_535);
    Http2Stream stream = open(3);
    client.data(3, new byte[0], true);
    headers(3, response(), false);
    encoder.frameWriter().configuration().headersConfiguration().maxHeaderListSize(100);

    ChannelFuture trailersSent = headers(3, trailers().add("x-large", "x".repeat(200)), true);

    assertThat(trailersSent.isVoid()).as("written without a promise").isTrue();
    assertThat(framesRead()).containsExactly("3:H200", "3:RST" + Http2Error.PROTOCOL_ERROR.code());
    assertThat(stream.state()).isEqualTo(Http2Stream.State.CLOSED);
    assertThat(stream.isTrailersSent()).isFalse();
  }

  @Test
  void headersAfterHeadersFailAsNettysEncoderFailsThem() {
    connect(65_535);
    open(3);
    headers(3, response(), false);

    ChannelFuture again = headers(3, response(), false);

    assertThat(again.cause()).isInstanceOf(IllegalStateException.class);
    assertThat(framesRead()).containsExactly("3:H200");
  }
}
