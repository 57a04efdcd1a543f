package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.internal.codec.GrpcWebTrailers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** gRPC-Web over HTTP/2, seen by a bare HTTP/2 client. */
@Timeout(30)
class GrpcWebTest {
  private static Server server;
  private RawHttp2Peer client;

  @BeforeAll
  static void startServer() {
    server =
        new Server(new ServiceConfig(GrpcWebService.create()).withHost("127.0.0.1").withPort(0))
            .start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void connect() {
    client = RawHttp2Peer.client(server.port());
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  private static Http2Headers request(String path, String contentType) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path(path)
        .authority("test")
        .add("content-type", contentType)
        .add("x-grpc-web", "1");
  }

  private static byte[] body(List<RawHttp2Peer.Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (RawHttp2Peer.Frame f : frames) {
      assertThat(f.headers() == null || f == frames.get(0))
          .as("HEADERS only at the start: gRPC-Web has no HTTP trailers")
          .isTrue();
      if (f.data() != null) {
        out.writeBytes(f.data());
      }
    }
    return out.toByteArray();
  }

  @Test
  void unary_binary_answersFramesAndTrailersFrame() throws Exception {
    client.request(
        request("/web.Test/echo", "application/grpc-web+proto"), GrpcWebService.framed("hi"), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    Http2Headers headers = frames.get(0).headers();
    assertThat(headers.status().toString()).isEqualTo("200");
    assertThat(headers.get("content-type").toString()).isEqualTo("application/grpc-web+proto");
    assertThat(headers.contains("grpc-status")).isFalse();
    assertThat(body(frames))
        .isEqualTo(
            concat(
                GrpcWebService.framed("echo hi"),
                GrpcWebTrailers.frame(Status.OK, new io.tri4j.Metadata())));
  }

  @Test
  void serverStream_plainGrpcWebType_answersEachMessageThenTrailers() throws Exception {
    client.request(
        request("/web.Test/count", "application/grpc-web"), GrpcWebService.framed("3"), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(body(frames))
        .isEqualTo(
            concat(
                GrpcWebService.framed("1", "2", "3"),
                GrpcWebTrailers.frame(Status.OK, new io.tri4j.Metadata())));
  }

  @Test
  void serverStream_failingAfterMessages_endsWithErrorTrailersFrame() throws Exception {
    client.request(
        request("/web.Test/count", "application/grpc-web+proto"),
        GrpcWebService.framed("-2"),
        true);
    byte[] body = body(client.nextResponse());
    assertThat(new String(body, StandardCharsets.ISO_8859_1))
        .endsWith("grpc-status: 11\r\ngrpc-message: count ran out after 2\r\n");
  }

  @Test
  void unary_json_answersJsonMessagesInFrames() throws Exception {
    client.request(
        request("/web.Test/greet", "application/grpc-web+json"),
        GrpcWebService.framed("\"json\""),
        true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().get("content-type").toString())
        .isEqualTo("application/grpc-web+json");
    assertThat(body(frames))
        .isEqualTo(
            concat(
                GrpcWebService.framed("\"hello json\""),
                GrpcWebTrailers.frame(Status.OK, new io.tri4j.Metadata())));
  }

  @Test
  void unary_textJson_answersBase64OfJsonFrames() throws Exception {
    client.request(
        request("/web.Test/greet", "application/grpc-web-text+json"),
        Base64.getEncoder().encode(GrpcWebService.framed("\"text\"")),
        true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().get("content-type").toString())
        .isEqualTo("application/grpc-web-text+json");
    assertThat(GrpcWebService.decodeText(body(frames)))
        .isEqualTo(
            concat(
                GrpcWebService.framed("\"hello text\""),
                GrpcWebTrailers.frame(Status.OK, new io.tri4j.Metadata())));
  }

  @Test
  void json_methodWithoutProtobufMessages_isUnimplementedInGrpcWebForm() throws Exception {
    client.request(
        request("/web.Test/echo", "application/grpc-web+json"),
        GrpcWebService.framed("\"x\""),
        true);
    Http2Headers headers = client.nextResponse().get(0).headers();
    assertThat(headers.get("content-type").toString()).isEqualTo("application/grpc-web+json");
    assertThat(headers.get("grpc-status").toString()).isEqualTo("12");
  }

  @Test
  void clientStream_overHttp2_isServed() throws Exception {
    int stream =
        client.request(
            request("/web.Test/join", "application/grpc-web+proto"),
            GrpcWebService.framed("a"),
            false);
    client.data(stream, GrpcWebService.framed("b"), true);
    assertThat(body(client.nextResponse()))
        .isEqualTo(
            concat(
                GrpcWebService.framed("a+b"),
                GrpcWebTrailers.frame(Status.OK, new io.tri4j.Metadata())));
  }

  @Test
  void failureBeforeAnyMessage_isTrailersOnlyInHeaders() throws Exception {
    client.request(
        request("/web.Test/echo", "application/grpc-web+proto"),
        GrpcWebService.framed("fail:gone"),
        true);
    RawHttp2Peer.Frame only = client.next();
    assertThat(only.endStream()).isTrue();
    assertThat(only.headers().status().toString()).isEqualTo("200");
    assertThat(only.headers().get("content-type").toString())
        .isEqualTo("application/grpc-web+proto");
    assertThat(only.headers().get("grpc-status").toString()).isEqualTo("5");
    assertThat(only.headers().get("grpc-message").toString()).isEqualTo("gone");
  }

  @Test
  void unknownMethod_isTrailersOnlyUnimplemented() throws Exception {
    client.request(
        request("/web.Test/nope", "application/grpc-web+proto"), GrpcWebService.framed("x"), true);
    RawHttp2Peer.Frame only = client.next();
    assertThat(only.endStream()).isTrue();
    assertThat(only.headers().get("grpc-status").toString()).isEqualTo("12");
  }

  @Test
  void text_splitIntoPaddedChunks_answersBase64() throws Exception {
    byte[] framed = GrpcWebService.framed("hi");
    byte[] first = Base64.getEncoder().encode(java.util.Arrays.copyOf(framed, 4));
    byte[] rest =
        Base64.getEncoder().encode(java.util.Arrays.copyOfRange(framed, 4, framed.length));
    int stream =
        client.request(request("/web.Test/echo", "application/grpc-web-text"), first, false);
    client.data(stream, java.util.Arrays.copyOf(rest, 3), false);
    client.data(stream, java.util.Arrays.copyOfRange(rest, 3, rest.length), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().get("content-type").toString())
        .isEqualTo("application/grpc-web-text+proto");
    byte[] decoded = GrpcWebService.decodeText(body(frames));
    assertThat(decoded)
        .isEqualTo(
            concat(
                GrpcWebService.framed("echo hi"),
                GrpcWebTrailers.frame(Status.OK, new io.tri4j.Metadata())));
  }

  @Test
  void text_notBase64_isInvalidArgument_andTheConnectionServesOn() throws Exception {
    client.request(
        request("/web.Test/echo", "application/grpc-web-text+proto"),
        "not*base64".getBytes(StandardCharsets.US_ASCII),
        true);
    RawHttp2Peer.Frame only = client.next();
    assertThat(only.endStream()).isTrue();
    assertThat(only.headers().get("grpc-status").toString()).isEqualTo("3");
    assertThat(only.headers().get("grpc-message").toString()).contains("not base64");

    client.request(
        request("/web.Test/echo", "application/grpc-web+proto"),
        GrpcWebService.framed("again"),
        true);
    assertThat(new String(body(client.nextResponse()), StandardCharsets.ISO_8859_1))
        .contains("echo again");
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
