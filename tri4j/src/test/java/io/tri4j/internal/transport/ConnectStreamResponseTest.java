package io.tri4j.internal.transport;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Client;
import io.tri4j.ReadStream;
import io.tri4j.ReferenceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.MessageFramer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How tri4j's client makes Connect streaming calls, against a scripted HTTP/2 server. */
@Timeout(30)
class ConnectStreamResponseTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Http2Headers ok200() {
    return new DefaultHttp2Headers().status("200").add("content-type", "application/connect+proto");
  }

  private static byte[] end(String json) {
    byte[] frame = MessageFramer.frame(utf8(json));
    frame[0] = 0x02;
    return frame;
  }

  private static byte[] body(byte[]... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] f : frames) {
      out.writeBytes(f);
    }
    return out.toByteArray();
  }

  private static Client client(RawHttp2Peer server) {
    return new Client(
        ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/wire.Svc?protocol=connect"));
  }

  private static ReadStream<String> serverStream(Client client) {
    return client
        .serverStream("s", (String s) -> utf8(s), b -> new String(b, StandardCharsets.UTF_8))
        .call("go");
  }

  @Test
  void serverStream_sendsConnectStreamHeaders_andReadsEnvelopesUpToTheEnd() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> two =
        (headers, out) ->
            out.headers(ok200(), false)
                .data(
                    body(
                        MessageFramer.frame(utf8("a")),
                        MessageFramer.frame(utf8("b")),
                        end("{\"metadata\":{\"x-t\":[\"v\"]}}")),
                    true);
    // Answered once the request has ended: answered at its headers, the call could end before
    // the client sent its request, which the test reads below.
    try (RawHttp2Peer server = RawHttp2Peer.serverAnsweringAtEnd(two);
        Client client = client(server)) {
      ReadStream<String> replies = serverStream(client);
      assertThat(replies.read()).isEqualTo("a");
      assertThat(replies.read()).isEqualTo("b");
      assertThat(replies.read()).isNull();
      Http2Headers h = server.next().headers();
      assertThat(h.get("content-type").toString()).isEqualTo("application/connect+proto");
      assertThat(h.get("connect-protocol-version").toString()).isEqualTo("1");
      assertThat(h.get("connect-accept-encoding")).isNotNull();
      assertThat(server.next().data()).isEqualTo(MessageFramer.frame(utf8("go")));
    }
  }

  @Test
  void endWithAnError_afterMessages_isTheStatusWithTrailers() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> failing =
        (headers, out) ->
            out.headers(ok200(), false)
                .data(MessageFramer.frame(utf8("a")), false)
                .data(
                    end(
                        "{\"error\":{\"code\":\"out_of_range\",\"message\":\"too far\"},"
                            + "\"metadata\":{\"x-t\":[\"v\"]}}"),
                    true);
    try (RawHttp2Peer server = RawHttp2Peer.server(failing);
        Client client = client(server)) {
      ReadStream<String> replies = serverStream(client);
      assertThat(replies.read()).isEqualTo("a");
      assertThatThrownBy(replies::read)
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> {
                assertThat(e.getStatus().code()).isEqualTo(Status.Code.OUT_OF_RANGE);
                assertThat(e.getStatus().description()).isEqualTo("too far");
                assertThat(e.getTrailers().get("x-t")).isEqualTo("v");
              });
    }
  }

  @Test
  void informationalHeaders_areSkipped_andDataBeforeTheHeadersIsInternal() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> earlyHints =
        (headers, out) ->
            out.headers(new DefaultHttp2Headers().status("103"), false)
                .headers(ok200(), false)
                .data(body(MessageFramer.frame(utf8("a")), end("{}")), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(earlyHints);
        Client client = client(server)) {
      ReadStream<String> replies = serverStream(client);
      assertThat(replies.read()).isEqualTo("a");
      assertThat(replies.read()).isNull();
    }

    BiConsumer<Http2Headers, RawHttp2Peer.Responder> dataFirst =
        (headers, out) -> out.data(body(MessageFramer.frame(utf8("a")), end("{}")), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(dataFirst);
        Client client = client(server)) {
      assertThatThrownBy(() -> serverStream(client).read())
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> {
                assertThat(e.getStatus().code()).isEqualTo(Status.Code.INTERNAL);
                assertThat(e.getStatus().description()).contains("DATA before response headers");
              });
    }
  }

  @Test
  void endWithErrorDetails_putsThemInGrpcStatusDetails() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> detailed =
        (headers, out) ->
            out.headers(ok200(), false)
                .data(
                    end(
                        "{\"error\":{\"code\":\"aborted\",\"details\":"
                            + "[{\"type\":\"google.protobuf.StringValue\",\"value\":\"CgJoaQ\"}]}}"),
                    true);
    try (RawHttp2Peer server = RawHttp2Peer.server(detailed);
        Client client = client(server)) {
      assertThatThrownBy(() -> serverStream(client).read())
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> {
                assertThat(e.getStatus().code()).isEqualTo(Status.Code.ABORTED);
                assertThat(e.getTrailers().getBinary(io.tri4j.Metadata.STATUS_DETAILS_KEY))
                    .isNotEmpty();
              });
    }
  }

  @Test
  void bodyEndingWithoutTheEndMessage_isInternal() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> cut =
        (headers, out) -> out.headers(ok200(), false).data(MessageFramer.frame(utf8("a")), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(cut);
        Client client = client(server)) {
      ReadStream<String> replies = serverStream(client);
      assertStatus(
          () -> {
            while (replies.read() != null) {
              // drain
            }
          },
          Status.Code.INTERNAL,
          "end-of-stream message");
    }
  }

  @Test
  void badEndMessage_isInternal() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> bad =
        (headers, out) -> out.headers(ok200(), false).data(end("not json"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(bad);
        Client client = client(server)) {
      assertStatus(() -> serverStream(client).read(), Status.Code.INTERNAL, "Bad JSON");
    }
  }

  @Test
  void non200_isTheStatusItMapsTo() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> unavailable =
        (headers, out) -> out.headers(new DefaultHttp2Headers().status("503"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(unavailable);
        Client client = client(server)) {
      assertStatus(() -> serverStream(client).read(), Status.Code.UNAVAILABLE, "503");
    }
  }
}
