package io.tri4j.internal.transport;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Client;
import io.tri4j.Metadata;
import io.tri4j.ReferenceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.GrpcWebTrailers;
import io.tri4j.internal.codec.MessageFramer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How tri4j's client speaks gRPC-Web, against a scripted HTTP/2 server. */
@Timeout(30)
class GrpcWebResponseTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Http2Headers ok200() {
    return new DefaultHttp2Headers()
        .status("200")
        .add("content-type", "application/grpc-web+proto");
  }

  private static Client client(RawHttp2Peer server) {
    return new Client(
        ReferenceConfig.fromUrl(
            "tri://127.0.0.1:" + server.port() + "/wire.Svc?protocol=grpc-web"));
  }

  private static String unary(Client client) {
    return client
        .unary("m", (String s) -> utf8(s), b -> new String(b, StandardCharsets.UTF_8))
        .call("ping");
  }

  @Test
  void unary_sendsGrpcWebHeaders_andReadsTheTrailersFrameSplitOverDataFrames() throws Exception {
    byte[] trailers = GrpcWebTrailers.frame(Status.OK, new Metadata().put("x-t", "v"));
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> pong =
        (headers, out) ->
            out.headers(ok200(), false)
                .data(MessageFramer.frame(utf8("pong")), false)
                .data(Arrays.copyOfRange(trailers, 0, 7), false)
                .data(Arrays.copyOfRange(trailers, 7, trailers.length), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(pong);
        Client client = client(server)) {
      assertThat(unary(client)).isEqualTo("pong");
      Http2Headers h = server.next().headers();
      assertThat(h.path().toString()).isEqualTo("/wire.Svc/m");
      assertThat(h.get("content-type").toString()).isEqualTo("application/grpc-web+proto");
      assertThat(h.get("x-grpc-web").toString()).isEqualTo("1");
      assertThat(h.get("grpc-accept-encoding")).isNotNull();
      RawHttp2Peer.Frame data = server.next();
      assertThat(data.data()).isEqualTo(MessageFramer.frame(utf8("ping")));
    }
  }

  @Test
  void errorInTheTrailersFrame_isTheCallsStatus_withItsTrailers() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> notFound =
        (headers, out) ->
            out.headers(ok200(), false)
                .data(
                    GrpcWebTrailers.frame(
                        Status.NOT_FOUND.withDescription("no ü here"),
                        new Metadata().put("x-reason", "gone")),
                    true);
    try (RawHttp2Peer server = RawHttp2Peer.server(notFound);
        Client client = client(server)) {
      assertThatThrownBy(() -> unary(client))
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> {
                assertThat(e.getStatus().code()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(e.getStatus().description()).isEqualTo("no ü here");
                assertThat(e.getTrailers().get("x-reason")).isEqualTo("gone");
              });
    }
  }

  @Test
  void trailersOnly_statusInTheHeaders_isTheCallsStatus() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> denied =
        (headers, out) ->
            out.headers(ok200().add("grpc-status", "7").add("grpc-message", "no"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(denied);
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.PERMISSION_DENIED, "no");
    }
  }

  @Test
  void bodyEndingWithoutTheTrailersFrame_isInternal() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> cut =
        (headers, out) -> out.headers(ok200(), false).data(MessageFramer.frame(utf8("x")), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(cut);
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.INTERNAL, "without its trailers frame");
    }
  }

  @Test
  void grpcAnswerToAGrpcWebCall_isUnknown() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> grpc =
        (headers, out) ->
            out.headers(
                    new DefaultHttp2Headers().status("200").add("content-type", "application/grpc"),
                    false)
                .data(MessageFramer.frame(utf8("x")), false)
                .headers(new DefaultHttp2Headers().add("grpc-status", "0"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(grpc);
        Client client = client(server)) {
      assertStatus(() -> unary(client), Status.Code.UNKNOWN, "not gRPC-Web");
    }
  }
}
