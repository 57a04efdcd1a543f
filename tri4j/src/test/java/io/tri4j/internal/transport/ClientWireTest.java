package io.tri4j.internal.transport;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.StreamingCall;
import io.tri4j.internal.codec.MessageFramer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What tri4j's client sends, and how it reads odd responses, against a scripted HTTP/2 server. */
@Timeout(30)
class ClientWireTest {
  private static final String UTF8 = "名前がありません ✗";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Http2Headers ok200() {
    return new DefaultHttp2Headers().status("200").add("content-type", "application/grpc");
  }

  /** Answers every request with "pong" and OK once the request has ended. */
  private static final BiConsumer<Http2Headers, RawHttp2Peer.Responder> PONG =
      (headers, out) ->
          out.headers(ok200(), false)
              .data(MessageFramer.frame(utf8("pong")), false)
              .headers(new DefaultHttp2Headers().add("grpc-status", "0"), true);

  /** Answers with two messages and never ends the stream. */
  private static final BiConsumer<Http2Headers, RawHttp2Peer.Responder> TWO_RESPONSES_NO_END =
      (headers, out) ->
          out.headers(ok200(), false)
              .data(MessageFramer.frame(utf8("one")), false)
              .data(MessageFramer.frame(utf8("two")), false);

  /** Answers the first request with {@code first}, and every later one as {@link #PONG}. */
  private static BiConsumer<Http2Headers, RawHttp2Peer.Responder> thenPong(
      BiConsumer<Http2Headers, RawHttp2Peer.Responder> first) {
    java.util.concurrent.atomic.AtomicBoolean answered =
        new java.util.concurrent.atomic.AtomicBoolean();
    return (headers, out) -> (answered.getAndSet(true) ? PONG : first).accept(headers, out);
  }

  private static Client client(RawHttp2Peer server) {
    return new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/wire.Svc"));
  }

  private static String unary(Client client) {
    return client
        .unary("m", (String s) -> utf8(s), b -> new String(b, StandardCharsets.UTF_8))
        .call("ping");
  }

  private static byte[] dataOf(List<RawHttp2Peer.Frame> frames, int streamId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (RawHttp2Peer.Frame f : frames) {
      if (f.streamId() == streamId && !f.isHeaders()) {
        out.writeBytes(f.data());
      }
    }
    return out.toByteArray();
  }

  @Test
  void unary_sendsGrpcRequestHeaders_andEndsWithTheMessage() throws Exception {
    try (RawHttp2Peer server = RawHttp2Peer.server(PONG);
        Client client = client(server)) {
      assertThat(unary(client)).isEqualTo("pong");
      RawHttp2Peer.Frame headers = server.next();
      Http2Headers h = headers.headers();
      assertThat(h.method().toString()).isEqualTo("POST");
      assertThat(h.path().toString()).isEqualTo("/wire.Svc/m");
      assertThat(h.scheme().toString()).isEqualTo("http");
      assertThat(h.authority().toString()).isEqualTo("127.0.0.1:" + server.port());
      assertThat(h.get("content-type").toString()).isEqualTo("application/grpc+proto");
      assertThat(h.get("te").toString()).isEqualTo("trailers");
      assertThat(h.get("user-agent").toString()).startsWith("tri4j-java/");
      RawHttp2Peer.Frame data = server.next();
      assertThat(data.data()).isEqualTo(MessageFramer.frame(utf8("ping")));
      assertThat(data.endStream()).as("END_STREAM rides on the message's DATA frame").isTrue();
    }
  }

  @Test
  void timeout_isSentAsGrpcTimeout_onAllFourStyles() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> silent = (headers, out) -> {};
    try (RawHttp2Peer server = RawHttp2Peer.server(silent);
        Client client = client(server)) {
      io.tri4j.CallOptions options =
          io.tri4j.CallOptions.DEFAULT.withTimeout(java.time.Duration.ofSeconds(30));
      io.tri4j.Serializer<String> ser = ClientWireTest::utf8;
      io.tri4j.Deserializer<String> des = b -> new String(b, StandardCharsets.UTF_8);
      new Thread(
              () -> {
                try {
                  client.unary("u", ser, des).call("x", options);
                } catch (StatusException e) {
                  // the peer never answers; the client closes at the end of the test
                }
              })
          .start();
      client.serverStream("s", ser, des).call("x", options);
      client.clientStream("c", ser, des).call(options).write("x");
      client.bidiStream("b", ser, des).call(options).write("x");
      java.util.Map<String, String> timeouts = new java.util.HashMap<>();
      while (timeouts.size() < 4) {
        RawHttp2Peer.Frame f = server.next();
        if (f.isHeaders()) {
          timeouts.put(
              f.headers().path().toString(), String.valueOf(f.headers().get("grpc-timeout")));
        }
      }
      assertThat(timeouts)
          .containsOnlyKeys("/wire.Svc/u", "/wire.Svc/s", "/wire.Svc/c", "/wire.Svc/b");
      for (String value : timeouts.values()) {
        // 30 s, sent in the finest unit that fits 8 digits: 30,000,000 microseconds.
        assertThat(value).matches("\\d{1,8}u");
        assertThat(Long.parseLong(value.substring(0, value.length() - 1)))
            .isBetween(29_000_000L, 30_000_000L);
      }
    }
  }

  @Test
  void doneWriting_sendsEndStreamWithoutAnEmptyMessage() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> slowPong =
        (headers, out) -> out.headers(ok200(), false);
    try (RawHttp2Peer server = RawHttp2Peer.server(slowPong);
        Client client = client(server)) {
      StreamingCall<String, String> call =
          client
              .clientStream("m", (String s) -> utf8(s), b -> new String(b, StandardCharsets.UTF_8))
              .call();
      call.write("a");
      call.write("b");
      call.doneWriting();
      List<RawHttp2Peer.Frame> frames = new ArrayList<>();
      RawHttp2Peer.Frame f;
      do {
        f = server.next();
        frames.add(f);
      } while (!f.endStream());
      int streamId = frames.get(0).streamId();
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      expected.writeBytes(MessageFramer.frame(utf8("a")));
      expected.writeBytes(MessageFramer.frame(utf8("b")));
      assertThat(dataOf(frames, streamId))
          .as("exactly the two messages, no zero-length message before END_STREAM")
          .isEqualTo(expected.toByteArray());
      call.cancel("done with the test");
    }
  }

  @Test
  void dubboStyleError_non200StatusAndRawUtf8Message_isRead() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> dubbo =
        (headers, out) ->
            out.headers(
                new DefaultHttp2Headers()
                    .status("500")
                    .add("content-type", "application/grpc")
                    .add("grpc-status", "5")
                    .add("grpc-message", new AsciiString(utf8(UTF8))),
                true);
    try (RawHttp2Peer server = RawHttp2Peer.server(dubbo);
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.NOT_FOUND, UTF8);
    }
  }

  @Test
  void proxyErrorPage_502Html_isUnavailable() throws Exception {
    try (RawHttp2Peer server = RawHttp2Peer.proxyErrorPage();
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.UNAVAILABLE, "502");
    }
  }

  @Test
  void frameOnAStreamNeverOpened_callEndsWithTheConnectionError() throws Exception {
    try (RawHttp2Peer server =
            RawHttp2Peer.server(
                thenPong((headers, out) -> out.headers(ok200(), false).dataOnIdleStream(99)));
        Client client = client(server)) {
      assertStatus(
          () -> unary(client),
          Status.Code.UNAVAILABLE,
          "HTTP/2 connection error (Stream 99 does not exist for inbound frame DATA");
      assertThat(unary(client)).as("a new connection serves the next call").isEqualTo("pong");
    }
  }

  @Test
  void dataBeyondContentLength_callEndsSayingTheClientResetTheStream() throws Exception {
    // More DATA than the content-length announced is malformed (RFC 9113 8.1.1): a stream error,
    // which the client answers with a reset of that stream alone.
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> overlong =
        (headers, out) ->
            out.headers(ok200().add("content-length", "1"), false)
                .data(MessageFramer.frame(utf8("pong")), false);
    try (RawHttp2Peer server = RawHttp2Peer.server(thenPong(overlong));
        Client client = client(server)) {
      assertStatus(
          () -> unary(client),
          Status.Code.INTERNAL,
          "does not match content-length header 1), so the client reset the stream"
              + " with error code PROTOCOL_ERROR");
      assertThat(unary(client)).as("the same connection serves the next call").isEqualTo("pong");
    }
  }

  @Test
  void notFound404_withoutGrpcStatus_isUnimplemented() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> notFound =
        (headers, out) -> out.headers(new DefaultHttp2Headers().status("404"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(notFound);
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.UNIMPLEMENTED, "404");
    }
  }

  @Test
  void http200WithHtmlBody_isUnknown() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> html =
        (headers, out) ->
            out.headers(
                    new DefaultHttp2Headers().status("200").add("content-type", "text/html"), false)
                .data(utf8("<html/>"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(html);
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.UNKNOWN, "text/html");
    }
  }

  @Test
  void closingTheClient_endsACallLeftOnARetiredConnection() throws Exception {
    // The first call's connection is told GOAWAY but its call goes on; the second call retires
    // that connection (it waits for its calls) and takes a new one.
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> hangAndGoAway =
        (headers, out) -> out.headers(ok200(), false).goAwayAfterThisStream();
    try (RawHttp2Peer server = RawHttp2Peer.server(thenPong(hangAndGoAway))) {
      Client client = client(server);
      CompletableFuture<String> hanging = new CompletableFuture<>();
      Thread caller =
          new Thread(
              () -> {
                try {
                  hanging.complete(unary(client));
                } catch (Throwable t) {
                  hanging.completeExceptionally(t);
                }
              });
      caller.start();
      Thread.sleep(300); // the first call is under way, and its connection told GOAWAY
      assertThat(unary(client)).isEqualTo("pong");

      long start = System.nanoTime();
      client.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("close: a few seconds for the calls, then they fail")
          .isLessThan(Duration.ofSeconds(9));
      assertThatThrownBy(() -> hanging.get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void dataBeforeTheResponseHeaders_isInternal() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> dataFirst =
        (headers, out) ->
            out.data(MessageFramer.frame(utf8("early")), false)
                .headers(new DefaultHttp2Headers().add("grpc-status", "0"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(thenPong(dataFirst));
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.INTERNAL, "DATA before response headers");
      assertThat(unary(client)).as("the connection serves on").isEqualTo("pong");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ReferenceConfig.WireProtocol.class,
      names = {"CONNECT", "GRPC_WEB"})
  void dataBeforeTheResponseHeaders_isInternal_inTheWebProtocolsToo(
      ReferenceConfig.WireProtocol protocol) throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> dataFirst =
        (headers, out) -> out.data(utf8("early"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(dataFirst);
        Client client =
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/wire.Svc")
                    .withWireProtocol(protocol))) {
      assertStatus(() -> unary(client), Status.Code.INTERNAL, "DATA before response headers");
    }
  }

  @Test
  void informationalHeaders_beforeAConnectUnaryResponse_areSkipped() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> earlyHints =
        (headers, out) ->
            out.headers(new DefaultHttp2Headers().status("103"), false)
                .headers(
                    new DefaultHttp2Headers()
                        .status("200")
                        .add("content-type", "application/proto"),
                    false)
                .data(utf8("pong"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(earlyHints);
        Client client =
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/wire.Svc")
                    .withWireProtocol(ReferenceConfig.WireProtocol.CONNECT))) {
      assertThat(unary(client)).isEqualTo("pong");
    }
  }

  @Test
  void informationalHeaders_beforeTheResponse_areSkipped() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> earlyHints =
        (headers, out) -> {
          out.headers(new DefaultHttp2Headers().status("103").add("link", "</x>"), false);
          PONG.accept(headers, out);
        };
    try (RawHttp2Peer server = RawHttp2Peer.server(earlyHints);
        Client client = client(server)) {
      assertThat(unary(client)).isEqualTo("pong");
    }
  }

  @Test
  void trailersWithoutGrpcStatus_isUnknown() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> noStatus =
        (headers, out) ->
            out.headers(ok200(), false)
                .data(MessageFramer.frame(utf8("x")), false)
                .headers(new DefaultHttp2Headers().add("x-other", "1"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(noStatus);
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.UNKNOWN, "grpc-status");
    }
  }

  /** Refuses the first request in {@code refuse}'s way, answers every later one with PONG. */
  private static BiConsumer<Http2Headers, RawHttp2Peer.Responder> refusingFirst(
      java.util.function.Consumer<RawHttp2Peer.Responder> refuse) {
    java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    return (headers, out) -> {
      if (requests.incrementAndGet() == 1) {
        refuse.accept(out);
      } else {
        PONG.accept(headers, out);
      }
    };
  }

  private static List<RawHttp2Peer.Frame> requestHeaders(RawHttp2Peer server) {
    return server.all.stream().filter(RawHttp2Peer.Frame::isHeaders).toList();
  }

  @Test
  void refusedStream_isSentAgainTransparently_withItsRequest() throws Exception {
    try (RawHttp2Peer server =
            RawHttp2Peer.serverAnsweringAtEnd(
                refusingFirst(
                    out -> out.reset(io.netty.handler.codec.http2.Http2Error.REFUSED_STREAM)));
        Client client = client(server)) {
      assertThat(unary(client)).isEqualTo("pong");
      List<RawHttp2Peer.Frame> requests = requestHeaders(server);
      assertThat(requests).hasSize(2);
      int refused = requests.get(0).streamId();
      int retried = requests.get(1).streamId();
      assertThat(retried).as("on the same connection").isGreaterThan(refused);
      assertThat(new String(dataOf(server.all, retried), StandardCharsets.UTF_8)).endsWith("ping");
      assertThat(dataOf(server.all, retried)).isEqualTo(dataOf(server.all, refused));
    }
  }

  @Test
  void refusedStream_isSentAgainOnlyOnce() throws Exception {
    try (RawHttp2Peer server =
            RawHttp2Peer.server(
                (headers, out) ->
                    out.reset(io.netty.handler.codec.http2.Http2Error.REFUSED_STREAM));
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.UNAVAILABLE, "REFUSED_STREAM");
      assertThat(requestHeaders(server)).hasSize(2);
    }
  }

  @Test
  void streamBeyondGoAway_isSentAgainOnANewConnection() throws Exception {
    try (RawHttp2Peer server =
            RawHttp2Peer.server(refusingFirst(out -> out.goAwayBeforeThisStream()));
        Client client = client(server)) {
      StreamingCall<String, String> call =
          client
              .bidiStream("m", (String s) -> utf8(s), b -> new String(b, StandardCharsets.UTF_8))
              .call();
      call.write("ping");
      call.doneWriting();
      assertThat(call.read()).isEqualTo("pong");
      List<RawHttp2Peer.Frame> requests = requestHeaders(server);
      assertThat(requests).hasSize(2);
      // The retry went out on a new connection: its first stream has the first one's id again
      // (on the same connection, stream ids only grow).
      assertThat(requests.get(1).streamId()).isEqualTo(requests.get(0).streamId());
    }
  }

  @Test
  void unaryWithTwoResponses_isInternal() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> twice =
        (headers, out) ->
            out.headers(ok200(), false)
                .data(MessageFramer.frame(utf8("one")), false)
                .data(MessageFramer.frame(utf8("two")), false)
                .headers(new DefaultHttp2Headers().add("grpc-status", "0"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(twice);
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.INTERNAL, "More than one response");
    }
  }

  @Test
  void unaryWithTwoResponses_andNoEnd_isInternal_withoutWaitingForTheEnd() throws Exception {
    // The blocking reader of a unary call is woken at the end of the stream, not at the first
    // message; a second message must wake it too, or this call would wait forever.
    try (RawHttp2Peer server = RawHttp2Peer.server(TWO_RESPONSES_NO_END);
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.INTERNAL, "More than one response");
    }
  }

  @Test
  void singleResponseReadWithTimeout_twoResponsesAndNoEnd_isInternal() throws Exception {
    try (RawHttp2Peer server = RawHttp2Peer.server(TWO_RESPONSES_NO_END);
        Client client = client(server)) {
      StreamingCall<String, String> call =
          client
              .clientStream("m", (String s) -> utf8(s), b -> new String(b, StandardCharsets.UTF_8))
              .call(CallOptions.DEFAULT);
      call.write("ping");
      call.doneWriting();
      assertStatus(
          () -> call.read(Duration.ofSeconds(20)), Status.Code.INTERNAL, "More than one response");
    }
  }
}
