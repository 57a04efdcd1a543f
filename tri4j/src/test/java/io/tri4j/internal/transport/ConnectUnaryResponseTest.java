package io.tri4j.internal.transport;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.Response;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.Compression;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How tri4j's client makes Connect unary calls, against a scripted HTTP/2 server. */
@Timeout(30)
class ConnectUnaryResponseTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Http2Headers ok200() {
    return new DefaultHttp2Headers().status("200").add("content-type", "application/proto");
  }

  private static Client client(RawHttp2Peer server, String query) {
    return new Client(
        ReferenceConfig.fromUrl(
            "tri://127.0.0.1:" + server.port() + "/wire.Svc?protocol=connect" + query));
  }

  private static Response<String> call(Client client, CallOptions options) {
    return client
        .unary("m", (String s) -> utf8(s), b -> new String(b, StandardCharsets.UTF_8))
        .callForResponse("ping", options);
  }

  @Test
  void unary_sendsConnectHeadersAndTheBareMessage_andReadsBodyHeadersAndTrailers()
      throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> pong =
        (headers, out) ->
            out.headers(ok200().add("x-h", "1").add("trailer-x-t", "2"), false)
                .data(utf8("po"), false)
                .data(utf8("ng"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(pong);
        Client client = client(server, "")) {
      Response<String> response =
          call(client, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
      assertThat(response.message()).isEqualTo("pong");
      assertThat(response.headers().get("x-h")).isEqualTo("1");
      assertThat(response.trailers().get("x-t")).isEqualTo("2");
      Http2Headers h = server.next().headers();
      assertThat(h.get("content-type").toString()).isEqualTo("application/proto");
      assertThat(h.get("connect-protocol-version").toString()).isEqualTo("1");
      assertThat(h.get("te")).isNull();
      assertThat(h.get("grpc-timeout")).isNull();
      assertThat(Long.parseLong(h.get("connect-timeout-ms").toString()))
          .isBetween(29_000L, 30_000L);
      assertThat(h.get("accept-encoding")).isNotNull();
      RawHttp2Peer.Frame data = server.next();
      assertThat(data.data()).as("no gRPC prefix").isEqualTo(utf8("ping"));
      assertThat(data.endStream()).isTrue();
    }
  }

  @Test
  void gzip_requestBodyAndResponseBody_areCompressedWhole() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> gzipped =
        (headers, out) ->
            out.headers(ok200().add("content-encoding", "gzip"), false)
                .data(Compression.GZIP.compress(utf8("pong")), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(gzipped);
        Client client = client(server, "&compression=gzip")) {
      assertThat(call(client, CallOptions.DEFAULT).message()).isEqualTo("pong");
      assertThat(server.next().headers().get("content-encoding").toString()).isEqualTo("gzip");
      assertThat(Compression.GZIP.decompress(server.next().data(), 100)).isEqualTo(utf8("ping"));
    }
  }

  @Test
  void errorJson_isTheStatus_withHeadersAndTrailersAsTrailers() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> conflict =
        (headers, out) ->
            out.headers(
                    new DefaultHttp2Headers()
                        .status("409")
                        .add("content-type", "application/json")
                        .add("x-h", "1")
                        .add("trailer-x-t", "2"),
                    false)
                .data(utf8("{\"code\":\"already_exists\",\"message\":\"dup ü\"}"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(conflict);
        Client client = client(server, "")) {
      assertThatThrownBy(() -> call(client, CallOptions.DEFAULT))
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> {
                assertThat(e.getStatus().code()).isEqualTo(Status.Code.ALREADY_EXISTS);
                assertThat(e.getStatus().description()).isEqualTo("dup ü");
                assertThat(e.getTrailers().get("x-h")).isEqualTo("1");
                assertThat(e.getTrailers().get("x-t")).isEqualTo("2");
              });
    }
  }

  @Test
  void proxyErrorPage_502Html_isUnavailable() throws Exception {
    try (RawHttp2Peer server = RawHttp2Peer.proxyErrorPage();
        Client client = client(server, "")) {
      assertStatus(() -> call(client, CallOptions.DEFAULT), Status.Code.UNAVAILABLE, "502");
    }
  }

  @Test
  void bodyOverTheLimit_isResourceExhausted() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> big =
        (headers, out) -> out.headers(ok200(), false).data(new byte[100], true);
    try (RawHttp2Peer server = RawHttp2Peer.server(big);
        Client client =
            new Client(
                ReferenceConfig.fromUrl(
                        "tri://127.0.0.1:" + server.port() + "/wire.Svc?protocol=connect")
                    .withMaxInboundMessageSize(64))) {
      assertStatus(() -> call(client, CallOptions.DEFAULT), Status.Code.RESOURCE_EXHAUSTED, "64");
    }
  }

  @Test
  void otherContentType_isUnknown() throws Exception {
    BiConsumer<Http2Headers, RawHttp2Peer.Responder> html =
        (headers, out) ->
            out.headers(
                    new DefaultHttp2Headers().status("200").add("content-type", "text/html"), false)
                .data(utf8("<html/>"), true);
    try (RawHttp2Peer server = RawHttp2Peer.server(html);
        Client client = client(server, "")) {
      assertStatus(() -> call(client, CallOptions.DEFAULT), Status.Code.UNKNOWN, "text/html");
    }
  }
}
