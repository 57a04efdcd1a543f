package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.call.ClientStreamListener;
import io.tri4j.internal.call.CloseOrigin;
import io.tri4j.internal.call.FakeClock;
import io.tri4j.internal.codec.MessageFramer;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import io.tri4j.internal.transport.EmbeddedHttp2Peer.Frame;
import io.tri4j.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NettyClientHandler}, as the client's pipeline builds it, and its streams, driven frame by
 * frame in an {@link EmbeddedChannel}; the test plays the server.
 */
class NettyClientHandlerTest {
  private final TransportStats stats = new TransportStats();
  private NettyClientHandler handler;
  private EmbeddedChannel channel;
  private EmbeddedHttp2Peer server;
  private WriteQueue writeQueue;

  @BeforeEach
  void connect() {
    connect(NettyClientTransport.newHandler());
  }

  private void connect(NettyClientHandler handler) {
    this.handler = handler;
    channel = new EmbeddedChannel(handler);
    writeQueue = new WriteQueue(channel); // one a connection, as NettyClientTransport has
    server = new EmbeddedHttp2Peer(channel, true).handshake();
    assertThat(handler.ready().isSuccess()).isTrue();
    server.read();
  }

  @AfterEach
  void finish() {
    server.finish();
    assertThat(stats.bytesHeld()).as("bytes held").isZero();
  }

  private Call start() {
    Http2Headers headers =
        new GrpcRequestHeaders(GrpcHeaders.APPLICATION_GRPC, Map.of())
            .forCall(
                AsciiString.of("/test.Echo/Say"),
                GrpcHeaders.HTTP,
                AsciiString.of("test"),
                null,
                null,
                new Metadata());
    Call call =
        new Call(new NettyClientStream(handler, writeQueue, headers, 4 * 1024 * 1024, stats));
    call.stream.start(call);
    return call;
  }

  private static Http2Headers responseHeaders() {
    return new DefaultHttp2Headers().status("200").add("content-type", "application/grpc");
  }

  private static Http2Headers trailers(int code) {
    return new DefaultHttp2Headers().add("grpc-status", Integer.toString(code));
  }

  private static byte[] framed(String message) {
    return MessageFramer.frame(message.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void unaryCall_headersDataTrailers() {
    Call call = start();
    call.stream.writeMessage(
        OutboundMessage.of("hello".getBytes(StandardCharsets.UTF_8), false), true);
    call.stream.request(1);
    List<Frame> request = server.read();
    assertThat(request)
        .extracting(Frame::type)
        .containsExactly(Http2FrameTypes.HEADERS, Http2FrameTypes.DATA);
    int id = request.get(0).streamId();
    assertThat(request.get(0).headers().path().toString()).isEqualTo("/test.Echo/Say");
    assertThat(request.get(1).data()).isEqualTo(framed("hello"));
    assertThat(request.get(1).endOfStream()).isTrue();

    server.headers(id, responseHeaders(), false).data(id, framed("hi"), false);
    server.headers(id, trailers(0), true);
    server.read();
    assertThat(call.headers).isNotNull();
    assertThat(call.messages).containsExactly("hi");
    assertThat(call.closed.code()).isEqualTo(Status.Code.OK);
    assertThat(call.origin).isEqualTo(CloseOrigin.PEER);
  }

  @Test
  void whatACallHandsOverBeforeTheEventLoopRuns_goesOutInOrder_theLastMessageEndingTheStream() {
    Call call = start();
    call.stream.writeMessage(
        OutboundMessage.of("a".getBytes(StandardCharsets.UTF_8), false), false);
    call.stream.writeMessage(
        OutboundMessage.of("b".getBytes(StandardCharsets.UTF_8), false), false);
    call.stream.writeMessage(OutboundMessage.of("c".getBytes(StandardCharsets.UTF_8), false), true);
    call.stream.halfClose(); // the last message ended it already: nothing more goes out

    List<Frame> request = server.read();

    assertThat(request)
        .extracting(Frame::type)
        .containsExactly(Http2FrameTypes.HEADERS, Http2FrameTypes.DATA, Http2FrameTypes.DATA);
    byte[] ab = new byte[2 * framed("a").length];
    System.arraycopy(framed("a"), 0, ab, 0, framed("a").length);
    System.arraycopy(framed("b"), 0, ab, framed("a").length, framed("b").length);
    assertThat(request.get(1).data()).isEqualTo(ab);
    assertThat(request.get(1).endOfStream()).isFalse();
    assertThat(request.get(2).data()).isEqualTo(framed("c"));
    assertThat(request.get(2).endOfStream()).isTrue();
    server.rstStream(request.get(0).streamId(), Http2Error.CANCEL);
    server.read();
  }

  @Test
  void demandPastIntegerMaxValue_isUnbounded_notLost() {
    Call call = start();
    call.stream.request(1);
    call.stream.request(Integer.MAX_VALUE); // both handed over before the event loop runs
    call.stream.halfClose();
    int id = server.read(Http2FrameTypes.HEADERS).get(0).streamId();

    server.headers(id, responseHeaders(), false);
    server.data(id, framed("one"), false).data(id, framed("two"), false);
    server.headers(id, trailers(0), true);
    server.read();

    assertThat(call.messages).containsExactly("one", "two");
    assertThat(call.closed.code()).isEqualTo(Status.Code.OK);
  }

  @Test
  void serverReset_midCall_closesTheCall_andReleasesWhatItHeld() {
    Call call = start();
    call.stream.writeMessage(OutboundMessage.of(new byte[100], false), false);
    int id = server.read(Http2FrameTypes.HEADERS).get(0).streamId();
    server.headers(id, responseHeaders(), false).data(id, framed("unread"), false);
    assertThat(stats.bytesHeld()).isPositive();

    server.rstStream(id, Http2Error.CANCEL);
    server.read();
    assertThat(call.closed.code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(call.origin).isEqualTo(CloseOrigin.PEER);
    assertThat(call.messages).isEmpty();
  }

  @Test
  void flowControl_windowsGrowOnlyAsTheApplicationReads() {
    Call call = start();
    int id = server.read(Http2FrameTypes.HEADERS).get(0).streamId();
    server.headers(id, responseHeaders(), false);
    byte[] big = framed("y".repeat(60_000));
    int count = 10; // more than half the stream window, the point at which credit is returned
    for (int i = 0; i < count; i++) {
      server.data(id, big, false);
    }
    assertThat(server.read(Http2FrameTypes.WINDOW_UPDATE)).isEmpty();
    assertThat(stats.bytesHeld()).isEqualTo((long) count * big.length);

    call.stream.request(count);
    assertThat(server.read(Http2FrameTypes.WINDOW_UPDATE))
        .singleElement()
        .satisfies(f -> assertThat(f.streamId()).isEqualTo(id));
    assertThat(call.messages).hasSize(count);

    server.headers(id, trailers(0), true);
    server.read();
    assertThat(call.closed.code()).isEqualTo(Status.Code.OK);
  }

  /**
   * A stream waiting for a free slot (the server allows one at a time) whose HEADERS the
   * connection's GOAWAY overtakes never left: its write fails, and the call ends as refused, so
   * that it may be sent again on another connection.
   */
  @Test
  void aStreamWaitingForASlot_thatAGoAwayOvertakes_isRefused() {
    channel.finishAndReleaseAll();
    handler = NettyClientTransport.newHandler();
    channel = new EmbeddedChannel(handler);
    writeQueue = new WriteQueue(channel);
    server =
        new EmbeddedHttp2Peer(channel, true).handshake(new Http2Settings().maxConcurrentStreams(1));
    server.read();
    Call first = start();
    Call second = start();
    List<Frame> opened = server.read(Http2FrameTypes.HEADERS);
    assertThat(opened).as("only the first fits").hasSize(1);
    assertThat(second.closed).isNull();

    server.goAway(opened.get(0).streamId(), Http2Error.NO_ERROR);
    server.read();
    assertThat(second.closed.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(second.closed.description()).startsWith("Failed to open the stream");
    assertThat(second.origin).isEqualTo(CloseOrigin.REFUSED);
    assertThat(first.closed).as("a stream the server took").isNull();

    server.headers(opened.get(0).streamId(), trailers(0), true);
    server.read();
    assertThat(first.closed.code()).isEqualTo(Status.Code.OK);
  }

  @Test
  void goAwayBeforeTheStream_refusesIt() {
    Call first = start();
    Call second = start();
    List<Frame> opened = server.read(Http2FrameTypes.HEADERS);
    assertThat(opened).hasSize(2);

    server.goAway(opened.get(0).streamId(), Http2Error.NO_ERROR);
    server.read();
    assertThat(second.closed.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(second.origin).isEqualTo(CloseOrigin.REFUSED);
    assertThat(first.closed).as("a stream the server took").isNull();
    assertThat(handler.acceptsNewStreams()).isFalse();

    server.headers(opened.get(0).streamId(), trailers(0), true);
    server.read();
    assertThat(first.closed.code()).isEqualTo(Status.Code.OK);
  }

  @Test
  void dataOnAStreamNeverOpened_isAConnectionError_andEndsTheCalls() {
    Call call = start();
    server.read();
    server.data(9, framed("stray"), false);
    assertThat(server.readGoAwayError()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
    assertThat(channel.isOpen()).isFalse();
    assertThat(call.closed.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(call.closed.description())
        .startsWith("HTTP/2 connection error (Stream 9 does not exist")
        .endsWith("so the client closed the connection");
  }

  /** Starts over with a handler that pings after 10 s of quiet, on {@code clock}. */
  private void reconnectWithKeepAlive(FakeClock clock, Runnable onTooManyPings) {
    server.finish();
    connect(
        NettyClientTransport.newHandler(
            new ClientKeepAlive(
                Duration.ofSeconds(10).toNanos(), Duration.ofSeconds(2).toNanos(), false),
            clock,
            onTooManyPings));
  }

  @Test
  void keepAlive_unansweredPing_failsTheCallsUnavailable_andCloses() {
    FakeClock clock = new FakeClock();
    reconnectWithKeepAlive(clock, () -> {});
    Call call = start();
    server.read();
    clock.advance(Duration.ofSeconds(10));
    List<Frame> pings = server.read(Http2FrameTypes.PING);
    assertThat(pings).hasSize(1);
    assertThat(pings.get(0).value()).isEqualTo(KeepAlivePinger.PING_DATA);
    assertThat(pings.get(0).ack()).isFalse();

    clock.advance(Duration.ofSeconds(2));
    assertThat(channel.isOpen()).isFalse();
    assertThat(call.closed.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(call.closed.description()).contains("Keepalive ping timed out").contains("2000 ms");
  }

  @Test
  void keepAlive_answeredPing_keepsTheConnection() {
    FakeClock clock = new FakeClock();
    reconnectWithKeepAlive(clock, () -> {});
    Call call = start();
    int id = server.read(Http2FrameTypes.HEADERS).get(0).streamId();
    clock.advance(Duration.ofSeconds(10));
    assertThat(server.read(Http2FrameTypes.PING)).hasSize(1);
    server.pingAck(KeepAlivePinger.PING_DATA);
    clock.advance(Duration.ofSeconds(5));
    assertThat(channel.isOpen()).isTrue();
    assertThat(call.closed).isNull();
    server.headers(id, trailers(0), true);
    server.read();
    assertThat(call.closed.code()).isEqualTo(Status.Code.OK);
  }

  @Test
  void goAwayTooManyPings_tellsTheTransport_otherGoAwaysDoNot() {
    FakeClock clock = new FakeClock();
    int[] told = new int[1];
    reconnectWithKeepAlive(clock, () -> told[0]++);
    server.goAway(0, Http2Error.ENHANCE_YOUR_CALM, "something_else");
    server.read();
    assertThat(told[0]).isZero();
    server.goAway(0, Http2Error.ENHANCE_YOUR_CALM, "too_many_pings");
    server.read();
    assertThat(told[0]).isOne();
  }

  @Test
  void transport_tooManyPings_doublesTheKeepAliveTimeOfItsNextConnections() {
    io.netty.channel.DefaultEventLoop loop = new io.netty.channel.DefaultEventLoop();
    try (NettyClientTransport transport =
        NettyClientTransport.tcp(
            loop,
            SocketTransport.NIO,
            "127.0.0.1",
            1,
            Duration.ofSeconds(1),
            null,
            new ClientKeepAlive(Duration.ofSeconds(10).toNanos(), 1, true))) {
      transport.tooManyPings();
      assertThat(transport.keepAlive().timeNanos()).isEqualTo(Duration.ofSeconds(20).toNanos());
      assertThat(transport.keepAlive().withoutCalls()).isTrue();
    } finally {
      loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void aFaultAtTheClient_endsItsCallsUnavailable_andTellsTheServerOnlyInternalError() {
    Call call = start();
    server.read();
    IllegalStateException fault = new IllegalStateException("the client's own business");
    try (LogCapture logs = LogCapture.quiet(NettyConnectionHandler.class)) {
      channel.pipeline().fireExceptionCaught(fault);
      channel.checkException(); // it did not reach the end of the pipeline

      List<EmbeddedHttp2Peer.Frame> goAway = server.read(Http2FrameTypes.GO_AWAY);
      assertThat(goAway).hasSize(1);
      assertThat(goAway.get(0).value()).isEqualTo(Http2Error.INTERNAL_ERROR.code());
      assertThat(goAway.get(0).data())
          .asString(StandardCharsets.US_ASCII)
          .isEqualTo("internal error");
      assertThat(call.closed.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(call.closed.description()).contains("the client's own business");
      assertThat(logs.events())
          .singleElement()
          .extracting(LogCapture.Event::throwable)
          .isSameAs(fault);
    }
  }

  private static final class Call implements ClientStreamListener {
    final NettyClientStream stream;
    final List<String> messages = new ArrayList<>();
    Metadata headers;
    Status closed;
    CloseOrigin origin;

    Call(NettyClientStream stream) {
      this.stream = stream;
    }

    @Override
    public void onHeaders(Metadata headers) {
      this.headers = headers;
    }

    @Override
    public void onMessage(WireMessage message) {
      messages.add(new String(message.bytes(), StandardCharsets.UTF_8));
    }

    @Override
    public void onReady() {}

    @Override
    public void onTrailers(Status status, Metadata trailers) {}

    @Override
    public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
      assertThat(closed).as("closed twice").isNull();
      this.closed = status;
      this.origin = origin;
    }
  }
}
