package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.tri4j.Metadata;
import io.tri4j.MethodType;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.call.FakeClock;
import io.tri4j.internal.call.IncomingCall;
import io.tri4j.internal.call.ServerCallDispatcher;
import io.tri4j.internal.call.ServerStream;
import io.tri4j.internal.call.ServerStreamListener;
import io.tri4j.internal.codec.MessageFramer;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import io.tri4j.internal.transport.EmbeddedHttp2Peer.Frame;
import io.tri4j.testing.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * {@link NettyServerHandler}, as the server's pipeline builds it, driven frame by frame in an
 * {@link EmbeddedChannel}; the test plays the application through the streams it is handed.
 */
class NettyServerHandlerTest {
  private final TransportStats stats = new TransportStats();
  private final Calls calls = new Calls();
  private NettyServerHandler handler;
  private EmbeddedChannel channel;
  private EmbeddedHttp2Peer client;

  @BeforeEach
  void connect() {
    connect(null, ServerKeepAlive.DEFAULTS);
  }

  private void connect(FakeClock clock, ServerKeepAlive keepAlive) {
    connect(clock, keepAlive, Integer.MAX_VALUE);
  }

  private void connect(FakeClock clock, ServerKeepAlive keepAlive, int maxConcurrentStreams) {
    connect(clock, keepAlive, maxConcurrentStreams, new Http2Settings());
  }

  /** Connects a client that sends {@code clientSettings}. */
  private void connect(
      FakeClock clock,
      ServerKeepAlive keepAlive,
      int maxConcurrentStreams,
      Http2Settings clientSettings) {
    handler =
        NettyServer.http2Handler(
            new NettyServer.Listener(
                new LocalAddress("test"),
                calls,
                4 * 1024 * 1024,
                8192,
                maxConcurrentStreams,
                null,
                null,
                keepAlive,
                clock),
            stats,
            new CallLimit(Integer.MAX_VALUE));
    channel = new EmbeddedChannel(handler);
    client = new EmbeddedHttp2Peer(channel, false).handshake(clientSettings);
  }

  /** Starts over with {@code keepAlive}, timed on {@code clock}. */
  private void reconnect(FakeClock clock, ServerKeepAlive keepAlive) {
    client.finish();
    connect(clock, keepAlive);
    client.read();
  }

  private static long seconds(long s) {
    return Duration.ofSeconds(s).toNanos();
  }

  @Test
  void clientPings_tooOften_getGoAwayTooManyPings_onTheThirdStrike() {
    client.read();
    for (int i = 0; i < 3; i++) {
      client.ping(i); // the first is fine; two strikes are forgiven
    }
    assertThat(client.read(Http2FrameTypes.PING)).hasSize(3).allMatch(Frame::ack);
    assertThat(channel.isOpen()).isTrue();
    client.ping(3);
    assertGoAway(Http2Error.ENHANCE_YOUR_CALM, "too_many_pings");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void pingAcks_neverCount_andPingsAtThePermittedPace_areFine() {
    FakeClock clock = new FakeClock();
    reconnect(
        clock, ServerKeepAlive.DEFAULTS.withPermitTime(seconds(10)).withPermitWithoutCalls(true));
    for (int i = 0; i < 10; i++) {
      client.pingAck(i);
    }
    for (int i = 0; i < 10; i++) {
      client.ping(i);
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(client.read(Http2FrameTypes.GO_AWAY)).isEmpty();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void responseData_forgivesStrikes() {
    client.read();
    client.headers(1, request("/test.Echo/Chat"), false);
    Call call = calls.only();
    for (int i = 0; i < 9; i++) {
      client.ping(i);
      call.stream.writeMessage(message("m" + i)); // the client pings for each message: fine
    }
    assertThat(client.read(Http2FrameTypes.GO_AWAY)).isEmpty();
    client.data(1, new byte[0], true);
    call.stream.close(Status.OK, new Metadata());
    client.read();
  }

  @Test
  void serverKeepAlive_unansweredPing_closesTheConnection_andCancelsItsCalls() {
    FakeClock clock = new FakeClock();
    reconnect(clock, ServerKeepAlive.DEFAULTS.withTime(seconds(60)).withTimeout(seconds(5)));
    client.headers(1, request("/test.Echo/Chat"), false);
    Call call = calls.only();
    clock.advance(Duration.ofSeconds(60));
    assertThat(client.read(Http2FrameTypes.PING))
        .singleElement()
        .satisfies(f -> assertThat(f.ack()).isFalse());
    clock.advance(Duration.ofSeconds(5));
    assertThat(channel.isOpen()).isFalse();
    assertThat(call.cancelled.code()).isEqualTo(Status.Code.CANCELLED);
  }

  @Test
  void maxConnectionIdle_closesGracefully_onlyOnceNoCallRanThatLong() {
    FakeClock clock = new FakeClock();
    reconnect(clock, ServerKeepAlive.DEFAULTS.withMaxIdle(seconds(30)));
    clock.advance(Duration.ofSeconds(20));
    client.headers(1, request("/test.Echo/Chat"), true);
    clock.advance(Duration.ofSeconds(40)); // a call is open: not idle
    assertThat(client.read(Http2FrameTypes.GO_AWAY)).isEmpty();
    calls.only().stream.close(Status.OK, new Metadata());
    client.read();
    clock.advance(Duration.ofSeconds(29));
    assertThat(client.read(Http2FrameTypes.GO_AWAY)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    List<Frame> goAway = client.read(Http2FrameTypes.GO_AWAY);
    assertThat(goAway).hasSize(1);
    assertThat(goAway.get(0).value()).isEqualTo(Http2Error.NO_ERROR.code());
    assertThat(goAway.get(0).streamId()).isEqualTo(Integer.MAX_VALUE); // the first of two steps
  }

  @Test
  void maxConnectionAge_drainsWithTwoGoAways_thenTheGraceCutsTheRest() {
    FakeClock clock = new FakeClock();
    reconnect(
        clock, ServerKeepAlive.DEFAULTS.withMaxAge(seconds(100)).withMaxAgeGrace(seconds(10)));
    client.headers(1, request("/test.Echo/Chat"), false);
    Call call = calls.only();
    clock.advance(Duration.ofSeconds(89)); // the age is jittered by up to 10%
    assertThat(client.read(Http2FrameTypes.GO_AWAY)).isEmpty();
    clock.advance(Duration.ofSeconds(22));
    List<Frame> frames = client.read();
    assertThat(frames)
        .filteredOn(f -> f.type() == Http2FrameTypes.GO_AWAY)
        .singleElement()
        .satisfies(f -> assertThat(f.streamId()).isEqualTo(Integer.MAX_VALUE));
    long ping =
        frames.stream()
            .filter(f -> f.type() == Http2FrameTypes.PING)
            .findFirst()
            .orElseThrow()
            .value();
    client.pingAck(ping);
    assertThat(client.read(Http2FrameTypes.GO_AWAY))
        .singleElement()
        .satisfies(f -> assertThat(f.streamId()).isEqualTo(1)); // the call still runs
    assertThat(call.cancelled).isNull();
    clock.advance(Duration.ofSeconds(10));
    assertThat(call.cancelled.code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(channel.isOpen()).isFalse();
  }

  @AfterEach
  void finish() {
    client.finish();
    assertThat(stats.bytesHeld()).as("bytes held").isZero();
  }

  private static Http2Headers request(String path) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path(path)
        .authority("test")
        .add("content-type", "application/grpc")
        .add("te", "trailers");
  }

  private static byte[] framed(String message) {
    return MessageFramer.frame(message.getBytes(StandardCharsets.UTF_8));
  }

  private static OutboundMessage message(String text) {
    return OutboundMessage.of(text.getBytes(StandardCharsets.UTF_8), false);
  }

  @Test
  void handshake_opensTheConnectionWindow_andAcksSettings() {
    List<Frame> frames = client.read();
    assertThat(frames)
        .contains(
            Frame.of(Http2FrameTypes.WINDOW_UPDATE, 0, Http2Codecs.CONNECTION_WINDOW - 65_535));
    assertThat(frames).anyMatch(f -> f.type() == Http2FrameTypes.SETTINGS && f.ack());
  }

  @Test
  void unaryCall_headersDataTrailers() {
    client.read();
    client.headers(1, request("/test.Echo/Say"), false).data(1, framed("hello"), true);
    Call call = calls.only();
    assertThat(call.incoming.path()).isEqualTo("/test.Echo/Say");

    call.stream.request(1);
    client.read();
    assertThat(call.messages).containsExactly("hello");
    assertThat(call.halfClosed).isTrue();

    call.stream.writeHeaders(new Metadata(), null);
    call.stream.writeMessage(message("hi"));
    call.stream.close(Status.OK, new Metadata());
    List<Frame> frames = client.read();
    assertThat(frames)
        .extracting(Frame::type)
        .containsExactly(Http2FrameTypes.HEADERS, Http2FrameTypes.DATA, Http2FrameTypes.HEADERS);
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("200");
    assertThat(frames.get(0).headers().get("content-type").toString())
        .isEqualTo("application/grpc");
    assertThat(frames.get(1).data()).isEqualTo(framed("hi"));
    assertThat(frames.get(2).headers().get("grpc-status").toString()).isEqualTo("0");
    assertThat(frames.get(2).endOfStream()).isTrue();
  }

  /** Records, for each DATA frame written to the socket, whether its promise was void. */
  private static final class DataPromises extends ChannelOutboundHandlerAdapter {
    final List<Boolean> voids = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ByteBuf frame = (ByteBuf) msg;
      if (frame.readableBytes() >= 9 && frame.getByte(frame.readerIndex() + 3) == 0) {
        voids.add(promise.isVoid());
      }
      ctx.write(msg, promise);
    }
  }

  /**
   * A unary call on stream 1, answered ("hi") from the request's delivery, a command of the write
   * queue: the response and the close are handed over, and the stream's batch writes both, as when
   * a handler answers from a thread of its own.
   */
  private void answerWithTheCloseHandedOver() {
    client.headers(1, request("/test.Echo/Say"), false).data(1, framed("hello"), true);
    Call call = calls.only();
    call.onHalfClose =
        () -> {
          call.stream.writeMessage(message("hi"));
          call.stream.close(Status.OK, null);
        };
    call.stream.request(1); // bytes held: a queued command
    channel.runPendingTasks();
  }

  @Test
  void responseHandedOverWithItsClose_goesWithoutAPromise_andItsTrailersFollowIt() {
    DataPromises promises = new DataPromises();
    channel.pipeline().addFirst(promises);
    client.read();
    answerWithTheCloseHandedOver();

    List<Frame> frames = client.read();
    assertThat(frames)
        .extracting(Frame::type)
        .containsExactly(Http2FrameTypes.HEADERS, Http2FrameTypes.DATA, Http2FrameTypes.HEADERS);
    assertThat(frames.get(1).data()).isEqualTo(framed("hi"));
    assertThat(frames.get(2).headers().get("grpc-status").toString()).isEqualTo("0");
    assertThat(frames.get(2).endOfStream()).isTrue();
    assertThat(promises.voids).as("the DATA frame's promise").containsExactly(true);
    assertThat(stats.bytesHeld()).isZero();
  }

  @Test
  void responseHandedOverWithItsClose_thatMustWaitForTheWindow_countsAsHeldUntilWritten() {
    client.finish();
    connect(
        null,
        ServerKeepAlive.DEFAULTS,
        Integer.MAX_VALUE,
        new Http2Settings().initialWindowSize(2));
    client.read();
    answerWithTheCloseHandedOver();
    client.read();
    assertThat(stats.bytesHeld()).as("waiting for the window").isEqualTo(framed("hi").length);

    client.windowUpdate(1, 100);
    List<Frame> frames = client.read();
    assertThat(frames)
        .extracting(Frame::type)
        .containsExactly(Http2FrameTypes.DATA, Http2FrameTypes.HEADERS);
    assertThat(stats.bytesHeld()).isZero();
  }

  /** Fails every DATA frame written from now on with {@code failure}, as a broken socket would. */
  private void failDataWrites(Throwable failure) {
    channel
        .pipeline()
        .addFirst(
            new ChannelOutboundHandlerAdapter() {
              @Override
              public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ByteBuf frame = (ByteBuf) msg;
                if (frame.readableBytes() >= 9 && frame.getByte(frame.readerIndex() + 3) == 0) {
                  frame.release();
                  promise.setFailure(failure);
                  return;
                }
                ctx.write(msg, promise);
              }
            });
  }

  @Test
  void responseHandedOverWithItsClose_whoseWriteFails_closesTheConnection() {
    failDataWrites(new IOException("the test's socket refused the frame"));
    client.read();

    answerWithTheCloseHandedOver();

    // Its bytes were taken from the windows: a connection that went on would never get them back.
    assertThat(channel.isOpen()).as("closed after the failed write").isFalse();
    assertThat(stats.bytesHeld()).isZero();
  }

  @Test
  void responseWrittenBeforeItsClose_keepsItsPromise() {
    DataPromises promises = new DataPromises();
    channel.pipeline().addFirst(promises);
    client.read();
    client.headers(1, request("/test.Echo/Say"), false).data(1, framed("hello"), true);
    Call call = calls.only();

    call.stream.writeMessage(
        message("hi")); // on the event loop: written at once, the close unknown
    call.stream.close(Status.OK, null);

    assertThat(client.read())
        .extracting(Frame::type)
        .containsExactly(Http2FrameTypes.HEADERS, Http2FrameTypes.DATA, Http2FrameTypes.HEADERS);
    assertThat(promises.voids).as("the DATA frame's promise").containsExactly(false);
  }

  @Test
  void clientReset_midCall_cancelsIt_dropsItsMessages_andTheConnectionServesOn() {
    client.read();
    client.headers(1, request("/test.Echo/Chat"), false).data(1, framed("unread"), false);
    Call first = calls.only();
    assertThat(stats.bytesHeld()).isPositive(); // the message no one asked for yet

    client.rstStream(1, Http2Error.CANCEL);
    assertThat(first.cancelled.code()).isEqualTo(Status.Code.CANCELLED);
    first.stream.writeMessage(message("too late"));
    assertThat(client.read()).as("frames after the reset").isEmpty();

    client.headers(3, request("/test.Echo/Say"), true);
    Call second = calls.started.get(1);
    second.stream.close(Status.OK, new Metadata());
    assertThat(client.read(Http2FrameTypes.HEADERS))
        .singleElement()
        .satisfies(f -> assertThat(f.streamId()).isEqualTo(3))
        .satisfies(f -> assertThat(f.endOfStream()).isTrue());
  }

  @Test
  void flowControl_windowsGrowOnlyAsTheApplicationReads() throws Exception {
    client.read();
    client.headers(1, request("/test.Echo/Upload"), false);
    byte[] big = framed("x".repeat(60_000));
    int count = 10; // more than half the stream window, the point at which credit is returned
    for (int i = 0; i < count; i++) {
      client.data(1, big, false);
    }
    int total = count * big.length;
    Http2Stream stream = handler.connection().stream(1);
    Http2Stream connection = handler.connection().connectionStream();
    var flow = handler.connection().local().flowController();

    assertThat(client.read(Http2FrameTypes.WINDOW_UPDATE)).isEmpty();
    assertThat(flow.unconsumedBytes(stream)).isEqualTo(total);
    assertThat(flow.unconsumedBytes(connection)).isEqualTo(total);
    assertThat(stats.bytesHeld()).isEqualTo(total);

    Call call = calls.only();
    call.stream.request(count);
    // Credit goes back once half the stream window has been read.
    assertThat(client.read(Http2FrameTypes.WINDOW_UPDATE))
        .singleElement()
        .satisfies(f -> assertThat(f.streamId()).isEqualTo(1))
        .satisfies(
            f -> assertThat(f.value()).isBetween(Http2Codecs.STREAM_WINDOW / 2L, (long) total));
    assertThat(call.messages).hasSize(count);
    assertThat(flow.unconsumedBytes(stream)).isZero();
    assertThat(flow.unconsumedBytes(connection)).isZero();

    call.stream.close(Status.OK, new Metadata());
    client.read();
    client.rstStream(1, Http2Error.CANCEL); // as a client does that is still sending at the end
  }

  @Test
  void request_onTheEventLoopWithNothingHeld_takesEffectAtOnce() {
    Call call = startUpload();

    call.stream.request(1); // this thread is the embedded channel's event loop
    assertThat(channel.hasPendingTasks()).as("a queued command").isFalse();
    client.data(1, framed("hello"), false);

    assertThat(call.messages).containsExactly("hello");
    assertThat(stats.bytesHeld()).isZero();
    endUpload(call);
  }

  @Test
  void request_withBytesHeld_waitsForTheQueue() {
    Call call = startUpload();
    client.data(1, framed("hello"), false);

    call.stream.request(1);
    assertThat(call.messages).isEmpty();
    client.read();

    assertThat(call.messages).containsExactly("hello");
    endUpload(call);
  }

  /** Ends stream 1's call, and resets it as a client still sending at the end does. */
  private void endUpload(Call call) {
    call.stream.close(Status.OK, new Metadata());
    client.read();
    client.rstStream(1, Http2Error.CANCEL);
  }

  private Call startUpload() {
    client.read();
    client.headers(1, request("/test.Echo/Upload"), false);
    return calls.only();
  }

  @Test
  void closeGracefully_goAwayAndPing_thenClosesOnceCallsEnd() {
    client.read();
    client.headers(1, request("/test.Echo/Chat"), false);

    handler.closeGracefully();
    List<Frame> frames = client.read();
    assertThat(frames)
        .contains(Frame.of(Http2FrameTypes.GO_AWAY, Integer.MAX_VALUE, Http2Error.NO_ERROR.code()));
    Frame ping =
        frames.stream().filter(f -> f.type() == Http2FrameTypes.PING).findFirst().orElseThrow();

    // A call the client sent before it saw the GOAWAY is still taken.
    client.headers(3, request("/test.Echo/Say"), true);
    assertThat(calls.started).hasSize(2);

    client.pingAck(ping.value());
    client.read();
    assertThat(channel.isOpen()).as("open while calls run").isTrue();

    client.data(1, framed("last"), true);

    calls.started.get(0).stream.close(Status.OK, new Metadata());
    calls.started.get(1).stream.close(Status.OK, new Metadata());
    assertThat(client.read(Http2FrameTypes.HEADERS)).hasSize(2);
    assertThat(channel.isOpen()).as("open after the calls ended").isFalse();
  }

  @Test
  void dataOnAStreamThatEnded_isReset_andTheConnectionServesOn() {
    client.read();
    client.headers(1, request("/test.Echo/Say"), true);
    calls.only().stream.close(Status.OK, new Metadata());
    client.read();

    client.data(1, framed("stray"), false);
    assertThat(client.read())
        .contains(Frame.of(Http2FrameTypes.RST_STREAM, 1, Http2Error.STREAM_CLOSED.code()));
    assertThat(
            handler
                .connection()
                .local()
                .flowController()
                .unconsumedBytes(handler.connection().connectionStream()))
        .as("credit of the stray bytes")
        .isZero();

    client.headers(3, request("/test.Echo/Say"), true);
    assertThat(calls.started).hasSize(2);
    calls.started.get(1).stream.close(Status.OK, new Metadata());
    client.read();
  }

  @Test
  void dataOnAStreamNeverOpened_isAConnectionError() {
    client.read();
    client.data(5, framed("stray"), false);
    assertThat(client.readGoAwayError()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
    assertThat(channel.isOpen()).isFalse();
    assertThat(calls.started).isEmpty();
  }

  @Test
  void requestWithoutPath_isAProtocolErrorReset_andNoCall() {
    client.read();
    Http2Headers noPath = request("/test.Echo/Say");
    noPath.remove(":path");
    client.headers(1, noPath, true);
    assertThat(client.read())
        .contains(Frame.of(Http2FrameTypes.RST_STREAM, 1, Http2Error.PROTOCOL_ERROR.code()));
    assertThat(calls.started).isEmpty();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void headersOnAHalfClosedRemoteStream_isAStreamClosedReset_andTheConnectionServesOn() {
    client.read();
    client.headers(1, request("/test.Echo/Say"), true);
    Call first = calls.only();

    client.headers(1, new DefaultHttp2Headers().add("x-late", "trailer"), true);
    assertThat(client.read())
        .containsExactly(Frame.of(Http2FrameTypes.RST_STREAM, 1, Http2Error.STREAM_CLOSED.code()));
    assertThat(first.cancelled.code()).isEqualTo(Status.Code.CANCELLED);

    client.headers(3, request("/test.Echo/Say"), true);
    assertThat(calls.started).hasSize(2);
    calls.started.get(1).stream.close(Status.OK, new Metadata());
    assertThat(client.read(Http2FrameTypes.HEADERS)).singleElement().matches(Frame::endOfStream);
  }

  @Test
  void headersOnAClosedStream_isAStreamClosedReset_andTheConnectionServesOn() {
    client.read();
    client.headers(1, request("/test.Echo/Say"), true);
    calls.only().stream.close(Status.OK, new Metadata());
    client.read();

    // RFC 9113 asks for a connection error after both ends sent END_STREAM, and for ignoring or a
    // stream error after a reset; Netty keeps no record of how a stream closed, and answers every
    // closed stream with the lesser of the two (a closed stream in flight from a reset is common).
    client.headers(1, request("/test.Echo/Say"), true);
    assertThat(client.read())
        .containsExactly(Frame.of(Http2FrameTypes.RST_STREAM, 1, Http2Error.STREAM_CLOSED.code()));
    assertThat(calls.started).hasSize(1);

    client.headers(3, request("/test.Echo/Say"), true);
    assertThat(calls.started).hasSize(2);
    calls.started.get(1).stream.close(Status.OK, new Metadata());
    client.read();
  }

  @Test
  void headersWithAStreamIdLowerThanOneOpened_isAProtocolErrorOfTheConnection() {
    client.read();
    client.headers(5, request("/test.Echo/Say"), false);
    Call open = calls.only();

    client.headers(3, request("/test.Echo/Say"), true);
    List<Frame> frames = client.read();
    assertThat(frames)
        .filteredOn(f -> f.type() == Http2FrameTypes.GO_AWAY)
        .singleElement()
        .satisfies(f -> assertThat(f.value()).isEqualTo(Http2Error.PROTOCOL_ERROR.code()));
    assertThat(calls.started).as("no call for stream 3").hasSize(1);
    assertThat(channel.isOpen()).isFalse();
    assertThat(open.cancelled).isNotNull();
  }

  @Test
  void dataOnASkippedStreamId_isAProtocolErrorOfTheConnection() {
    client.read();
    client.headers(7, request("/test.Echo/Say"), true);
    calls.only().stream.close(Status.OK, new Metadata());
    client.read();

    client.data(3, framed("stray"), false);
    assertThat(client.readGoAwayError()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
  }

  @Test
  void streamRefused_overTheLimit_restOfItsRequestIsReset_andTheConnectionServesOn() {
    client.finish();
    connect(null, ServerKeepAlive.DEFAULTS, 1);
    client.read();
    client.headers(1, request("/test.Echo/Say"), false);

    // Sent before the client read the server's SETTINGS: refused, its DATA already on the way.
    client.headers(3, request("/test.Echo/Say"), false).data(3, framed("late"), true);
    assertThat(client.read())
        .containsExactly(
            Frame.of(Http2FrameTypes.RST_STREAM, 3, Http2Error.REFUSED_STREAM.code()),
            Frame.of(Http2FrameTypes.RST_STREAM, 3, Http2Error.STREAM_CLOSED.code()));
    assertThat(channel.isOpen()).isTrue();

    client.data(1, framed("first"), true);
    Call first = calls.only();
    first.stream.request(1);
    first.stream.close(Status.OK, new Metadata());
    assertThat(client.read(Http2FrameTypes.HEADERS)).singleElement().matches(Frame::endOfStream);
    assertThat(first.messages).containsExactly("first");
  }

  @Test
  void trailersOnAStreamRefusedFromItsHeaders_endIt_andTheConnectionServesOn() {
    client.read();
    Http2Headers notGrpc = request("/test.Echo/Say").set("content-type", "text/plain");
    client.headers(1, notGrpc, false);
    assertThat(client.read(Http2FrameTypes.HEADERS))
        .singleElement()
        .satisfies(f -> assertThat(f.headers().status()).hasToString("415"));

    client.headers(1, new DefaultHttp2Headers().add("x-trailer", "late"), true);

    assertThat(client.read()).as("no answer, no GOAWAY").isEmpty();
    assertThat(channel.isOpen()).isTrue();
    assertThat(calls.started).isEmpty();
    client.headers(3, request("/test.Echo/Say"), true);
    assertThat(calls.only().incoming.path()).isEqualTo("/test.Echo/Say");
    calls.only().stream.close(Status.OK, new Metadata());
    assertThat(client.read(Http2FrameTypes.HEADERS)).singleElement().matches(Frame::endOfStream);
  }

  @Test
  void clientVanishing_closesQuietly_andCancelsItsCalls() {
    client.read();
    client.headers(1, request("/test.Echo/Say"), false);
    channel.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
    channel.checkException(); // it did not reach the end of the pipeline, where Netty logs a WARN
    assertThat(channel.isOpen()).isFalse();
    assertThat(calls.only().cancelled).isNotNull();
  }

  @Test
  void brokenTlsAfterTheHandshake_closesQuietly_andCancelsItsCalls() {
    client.read();
    client.headers(1, request("/test.Echo/Say"), false);
    try (LogCapture logs = LogCapture.quiet(NettyConnectionHandler.class)) {
      // How Netty's SslHandler reports a record that does not decrypt.
      channel
          .pipeline()
          .fireExceptionCaught(new DecoderException(new SSLException("bad record MAC")));

      channel.checkException();
      assertThat(channel.isOpen()).isFalse();
      assertThat(calls.only().cancelled).isNotNull();
      assertThat(logs.events()).as("a client's doing, not a fault here").isEmpty();
    }
  }

  @Test
  void anErrorThatIsNotHttp2s_endsTheConnectionWithInternalError_andKeepsItsMessageFromTheClient() {
    client.read();
    client.headers(1, request("/test.Echo/Say"), false);
    try (LogCapture logs = LogCapture.quiet(NettyConnectionHandler.class)) {
      channel
          .pipeline()
          .fireExceptionCaught(new IllegalStateException("the server's own business"));
      channel.checkException(); // it did not reach the end of the pipeline, leaving the connection

      assertGoAway(Http2Error.INTERNAL_ERROR, "internal error");
      assertThat(channel.isOpen()).isFalse();
      assertThat(calls.only().cancelled).isNotNull();
      assertThat(logs.events())
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.level()).isEqualTo(Level.WARN);
                assertThat(event.throwable()).hasMessage("the server's own business");
              });
    }
  }

  @Test
  void aFaultReportedByEveryFailedWrite_isOneWarning() {
    client.read();
    ChannelHandlerContext ctx = channel.pipeline().context(handler);
    try (LogCapture logs = LogCapture.quiet(NettyConnectionHandler.class)) {
      for (int i = 0; i < 3; i++) {
        handler.logUnexpected(ctx, new IllegalStateException("write " + i), null);
      }
      handler.logUnexpected(ctx, new IOException("a lost peer is no fault"), null);

      assertThat(logs.events())
          .singleElement()
          .extracting(LogCapture.Event::throwable)
          .satisfies(t -> assertThat(t).hasMessage("write 0"));
    }
  }

  @Test
  void aFrameHandlerThatThrows_endsTheConnectionWithInternalError_andIsLogged() {
    client.read();
    calls.fault = new IllegalStateException("a bug in the dispatcher");
    try (LogCapture logs = LogCapture.quiet(NettyConnectionHandler.class)) {
      client.headers(1, request("/test.Echo/Say"), true);

      assertGoAway(Http2Error.INTERNAL_ERROR, "internal error");
      assertThat(logs.events())
          .singleElement()
          .extracting(LogCapture.Event::throwable)
          .isSameAs(calls.fault);
    }
  }

  @Test
  void responseHandedOverWithItsClose_whoseWriteFailsForAnotherReason_closesTheConnectionToo() {
    failDataWrites(new IllegalStateException("a fault in the pipeline"));
    client.read();

    try (LogCapture logs = LogCapture.quiet(NettyConnectionHandler.class)) {
      answerWithTheCloseHandedOver();

      channel.checkException();
      assertThat(channel.isOpen()).as("closed after the failed write").isFalse();
      assertThat(stats.bytesHeld()).isZero();
      assertThat(logs.events())
          .singleElement()
          .extracting(LogCapture.Event::throwable)
          .isInstanceOf(IllegalStateException.class);
    }
  }

  /** The client read one GOAWAY, with {@code error} and {@code debugData}. */
  private void assertGoAway(Http2Error error, String debugData) {
    List<Frame> goAway = client.read(Http2FrameTypes.GO_AWAY);
    assertThat(goAway).hasSize(1);
    assertThat(goAway.get(0).value()).isEqualTo(error.code());
    assertThat(goAway.get(0).data()).asString(StandardCharsets.US_ASCII).isEqualTo(debugData);
  }

  /** The calls the handler started, each played by the test. */
  private static final class Calls implements ServerCallDispatcher {
    final List<Call> started = new ArrayList<>();

    Call only() {
      assertThat(started).hasSize(1);
      return started.get(0);
    }

    RuntimeException fault; // thrown by startCall, as a bug in the dispatcher would be

    @Override
    public MethodType methodType(IncomingCall call) {
      return MethodType.UNARY;
    }

    @Override
    public Status jsonUnsupported(IncomingCall call) {
      return null;
    }

    @Override
    public boolean noSideEffects(IncomingCall call) {
      return false;
    }

    @Override
    public Status unimplemented(IncomingCall call) {
      return Status.UNIMPLEMENTED;
    }

    @Override
    public ServerStreamListener startCall(IncomingCall call, ServerStream stream) {
      if (fault != null) {
        throw fault;
      }
      Call c = new Call(call, stream);
      started.add(c);
      return c;
    }
  }

  private static final class Call implements ServerStreamListener {
    final IncomingCall incoming;
    final ServerStream stream;
    final List<String> messages = new ArrayList<>();
    boolean halfClosed;
    Status cancelled;
    Runnable onHalfClose; // what the call does once the request is in, if anything

    Call(IncomingCall incoming, ServerStream stream) {
      this.incoming = incoming;
      this.stream = stream;
    }

    @Override
    public void onMessage(WireMessage message) {
      messages.add(new String(message.bytes(), StandardCharsets.UTF_8));
    }

    @Override
    public void onHalfClose() {
      halfClosed = true;
      if (onHalfClose != null) {
        onHalfClose.run();
      }
    }

    @Override
    public void onReady() {}

    @Override
    public void onCancel(Status status) {
      cancelled = status;
    }
  }
}
