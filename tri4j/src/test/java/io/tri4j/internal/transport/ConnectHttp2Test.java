package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Metadata;
import io.tri4j.Protobuf;
import io.tri4j.ResponseObserver;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServerContext;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.ConnectEndStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Connect protocol over HTTP/2, seen by a bare HTTP/2 client. */
@Timeout(30)
class ConnectHttp2Test {
  private static Server server;
  private RawHttp2Peer client;

  @BeforeAll
  static void startServer() {
    RpcServiceHandler json =
        new RpcServiceHandler(
            "json.Test",
            Map.of(
                "echo",
                RpcMethodHandler.unary(
                    (StringValue v) -> {
                      ServerContext.current().responseHeaders().put("x-h", "1");
                      ServerContext.current().responseTrailers().put("x-t", "2");
                      return StringValue.of("echo " + v.getValue());
                    },
                    Protobuf.deserializer(StringValue.parser()),
                    Protobuf.serializer()),
                "slow",
                RpcMethodHandler.unary(
                    (StringValue v) -> {
                      // Outlives the deadline of the test that calls it, until cancelled.
                      java.util.concurrent.CountDownLatch cancelled =
                          new java.util.concurrent.CountDownLatch(1);
                      ServerContext.current().addCancelListener(cancelled::countDown);
                      cancelled.await(5, java.util.concurrent.TimeUnit.SECONDS);
                      return v;
                    },
                    Protobuf.deserializer(StringValue.parser()),
                    Protobuf.serializer()),
                "metadataKeys",
                RpcMethodHandler.unary(
                    (StringValue v) ->
                        StringValue.of(
                            String.join(
                                ",",
                                new java.util.TreeSet<>(
                                    ServerContext.current().requestHeaders().keys()))),
                    Protobuf.deserializer(StringValue.parser()),
                    Protobuf.serializer()),
                "answerThenFail",
                RpcMethodHandler.unaryAsync(
                    (StringValue v, ResponseObserver<StringValue> responses) -> {
                      responses.onNext(StringValue.of("never sent"));
                      responses.onError(Status.NOT_FOUND.withDescription("gone").asException());
                    },
                    Protobuf.deserializer(StringValue.parser()),
                    Protobuf.serializer()),
                "read",
                RpcMethodHandler.unary(
                        (StringValue v) -> StringValue.of("read " + v.getValue()),
                        Protobuf.deserializer(StringValue.parser()),
                        Protobuf.serializer())
                    .withNoSideEffects()));
    server =
        new Server(
                ServerOptions.defaults().withMaxInboundMessageSize(1024),
                new ServiceConfig(GrpcWebService.create()).withHost("127.0.0.1").withPort(0),
                new ServiceConfig(json).withHost("127.0.0.1").withPort(0))
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

  static Http2Headers request(String path, String contentType) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path(path)
        .authority("test")
        .add("content-type", contentType)
        .add("connect-protocol-version", "1");
  }

  private static String body(List<RawHttp2Peer.Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (RawHttp2Peer.Frame f : frames) {
      assertThat(f.headers() == null || f == frames.get(0)).as("no HTTP trailers").isTrue();
      if (f.data() != null) {
        out.writeBytes(f.data());
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static String header(List<RawHttp2Peer.Frame> frames, String name) {
    CharSequence value = frames.get(0).headers().get(name);
    return value == null ? null : value.toString();
  }

  private static String endStream(Status status, Metadata trailers) {
    return new String(ConnectEndStream.frame(status, trailers), StandardCharsets.ISO_8859_1);
  }

  @Test
  void unaryProto_answersTheBareMessage() throws Exception {
    client.request(request("/web.Test/echo", "application/proto"), "hi".getBytes(), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("200");
    assertThat(header(frames, "content-type")).isEqualTo("application/proto");
    assertThat(body(frames)).isEqualTo("echo hi");
  }

  @Test
  void unaryJson_usesTheJsonCodec() throws Exception {
    client.request(
        request("/json.Test/echo", "application/json; charset=utf-8"),
        "\"hi\"".getBytes(StandardCharsets.UTF_8),
        true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("200");
    assertThat(header(frames, "content-type")).isEqualTo("application/json");
    assertThat(body(frames)).isEqualTo("\"echo hi\"");
    assertThat(header(frames, "x-h")).isEqualTo("1");
    assertThat(header(frames, "trailer-x-t")).isEqualTo("2");
  }

  @Test
  void bodyOverTheLimit_isResourceExhausted_andTheConnectionServesOn() throws Exception {
    client.request(request("/web.Test/echo", "application/proto"), new byte[2048], true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("429");
    assertThat(body(frames)).startsWith("{\"code\":\"resource_exhausted\",\"message\":");

    client.request(request("/web.Test/echo", "application/proto"), "again".getBytes(), true);
    assertThat(body(client.nextResponse())).isEqualTo("echo again");
  }

  @Test
  void unaryJson_forAMethodWithoutJson_is415WithConnectError() throws Exception {
    client.request(request("/web.Test/echo", "application/json"), "\"hi\"".getBytes(), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("415");
    assertThat(body(frames)).startsWith("{\"code\":\"unimplemented\",\"message\":\"Method ");
  }

  @Test
  void unaryFailure_isConnectErrorJsonWithItsHttpStatus() throws Exception {
    client.request(request("/web.Test/echo", "application/proto"), "fail:gone".getBytes(), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("404");
    assertThat(header(frames, "content-type")).isEqualTo("application/json");
    assertThat(body(frames)).isEqualTo("{\"code\":\"not_found\",\"message\":\"gone\"}");
  }

  @Test
  void unaryFailingAfterItsResponse_isTheError_andTheHeldResponseIsNoLongerCounted()
      throws Exception {
    client.request(
        request("/json.Test/answerThenFail", "application/proto"),
        StringValue.of("x").toByteArray(),
        true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("404");
    assertThat(body(frames)).isEqualTo("{\"code\":\"not_found\",\"message\":\"gone\"}");

    long deadline = System.nanoTime() + 5_000_000_000L;
    while (server.bytesHeld() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(server.bytesHeld()).as("bytes held after the call").isZero();
  }

  @Test
  void unknownMethod_is404Unimplemented_andTheConnectionServesOn() throws Exception {
    client.request(request("/web.Test/nope", "application/proto"), "x".getBytes(), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("404");
    assertThat(body(frames))
        .isEqualTo("{\"code\":\"unimplemented\",\"message\":\"Method not found: web.Test/nope\"}");

    client.request(request("/web.Test/echo", "application/proto"), "again".getBytes(), true);
    assertThat(body(client.nextResponse())).isEqualTo("echo again");
  }

  @Test
  void badTimeout_isInvalidArgument() throws Exception {
    client.request(
        request("/web.Test/echo", "application/proto").add("connect-timeout-ms", "soon"),
        "x".getBytes(),
        true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("400");
    assertThat(body(frames))
        .startsWith("{\"code\":\"invalid_argument\",\"message\":\"Invalid connect-timeout-ms");
  }

  @Test
  void connectTimeout_isTheDeadline_answeredAsDeadlineExceeded() throws Exception {
    client.request(
        request("/json.Test/slow", "application/json").add("connect-timeout-ms", "200"),
        "\"x\"".getBytes(),
        true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("504");
    assertThat(body(frames)).startsWith("{\"code\":\"deadline_exceeded\"");
  }

  @Test
  void otherProtocolVersion_isInvalidArgument() throws Exception {
    Http2Headers headers = request("/web.Test/echo", "application/proto");
    headers.set("connect-protocol-version", "2");
    client.request(headers, "x".getBytes(), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("400");
    assertThat(body(frames)).contains("connect-protocol-version must be \\\"1\\\"");
  }

  @Test
  void gzipRequest_isInflated_andUnknownEncodingIsUnimplemented() throws Exception {
    client.request(
        request("/web.Test/echo", "application/proto").add("content-encoding", "gzip"),
        Compression.GZIP.compress("zipped".getBytes()),
        true);
    assertThat(body(client.nextResponse())).isEqualTo("echo zipped");

    client.request(
        request("/web.Test/echo", "application/proto").add("content-encoding", "br"),
        "x".getBytes(),
        true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("501");
    assertThat(body(frames)).contains("unimplemented").contains("gzip");
  }

  @Test
  void serverStream_answersEnvelopesThenEndMessage() throws Exception {
    client.request(
        request("/web.Test/count", "application/connect+proto"), GrpcWebService.framed("3"), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("200");
    assertThat(header(frames, "content-type")).isEqualTo("application/connect+proto");
    assertThat(body(frames))
        .isEqualTo(
            new String(GrpcWebService.framed("1", "2", "3"), StandardCharsets.ISO_8859_1)
                + endStream(Status.OK, new Metadata()));
  }

  @Test
  void serverStream_failingAfterMessages_endMessageCarriesTheError() throws Exception {
    client.request(
        request("/web.Test/count", "application/connect+proto"), GrpcWebService.framed("-2"), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("200");
    assertThat(body(frames))
        .endsWith("{\"error\":{\"code\":\"out_of_range\",\"message\":\"count ran out after 2\"}}");
  }

  @Test
  void clientStream_isServed() throws Exception {
    int stream =
        client.request(
            request("/web.Test/join", "application/connect+proto"),
            GrpcWebService.framed("a"),
            false);
    client.data(stream, GrpcWebService.framed("b"), true);
    assertThat(body(client.nextResponse()))
        .isEqualTo(
            new String(GrpcWebService.framed("a+b"), StandardCharsets.ISO_8859_1)
                + endStream(Status.OK, new Metadata()));
  }

  private static Http2Headers get(String pathAndQuery) {
    return new DefaultHttp2Headers()
        .method("GET")
        .scheme("http")
        .path(pathAndQuery)
        .authority("test");
  }

  @Test
  void connectsOwnHeaders_areNotTheHandlersMetadata() throws Exception {
    client.request(
        request("/json.Test/metadataKeys", "application/json")
            .add("connect-timeout-ms", "10000")
            .add("content-encoding", "identity")
            .add("accept-encoding", "gzip")
            .add("content-length", "2")
            .add("x-user", "ada"),
        "\"\"".getBytes(StandardCharsets.UTF_8),
        true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("200");
    assertThat(body(frames)).isEqualTo("\"x-user\"");
  }

  @Test
  void getJson_onAMethodWithoutSideEffects_isServed() throws Exception {
    client.request(get("/json.Test/read?encoding=json&message=%22hi%22&connect=v1"), null, true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("200");
    assertThat(header(frames, "content-type")).isEqualTo("application/json");
    assertThat(header(frames, "vary")).isEqualTo("accept-encoding");
    assertThat(body(frames)).isEqualTo("\"read hi\"");
  }

  @Test
  void getWithAMalformedEscape_isRefused_andTheConnectionServesOn() throws Exception {
    client.request(get("/json.Test/read?encoding=json&message=%zz&connect=v1"), null, true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("400");
    assertThat(body(frames)).contains("invalid_argument").contains("%-escape");

    client.request(get("/json.Test/read?encoding=json&message=%22hi%22&connect=v1"), null, true);
    assertThat(body(client.nextResponse())).isEqualTo("\"read hi\"");
  }

  @Test
  void getWithABody_isRefused() throws Exception {
    int stream =
        client.request(
            get("/json.Test/read?encoding=json&message=%22hi%22&connect=v1"),
            "\"more\"".getBytes(StandardCharsets.UTF_8),
            false);
    client.data(stream, "\"and more\"".getBytes(StandardCharsets.UTF_8), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("400");
    assertThat(body(frames))
        .contains("invalid_argument")
        .contains("carries its message in the URL");
  }

  @Test
  void getProtoInBase64_isServed() throws Exception {
    String message =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(StringValue.of("b64").toByteArray());
    client.request(get("/json.Test/read?encoding=proto&base64=1&message=" + message), null, true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(header(frames, "content-type")).isEqualTo("application/proto");
    assertThat(StringValue.parseFrom(body(frames).getBytes(StandardCharsets.ISO_8859_1)))
        .isEqualTo(StringValue.of("read b64"));
  }

  @Test
  void get_onAMethodWithSideEffects_is405() throws Exception {
    client.request(get("/json.Test/echo?encoding=json&message=%22hi%22"), null, true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("405");
    assertThat(header(frames, "allow")).isEqualTo("POST");
    assertThat(body(frames))
        .startsWith("{\"code\":\"unimplemented\",\"message\":\"Method json.Test/echo may have");
  }

  @Test
  void get_withoutEncoding_isInvalidArgument() throws Exception {
    client.request(get("/json.Test/read?message=x"), null, true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("400");
    assertThat(body(frames)).contains("missing encoding parameter");
  }

  @Test
  void unaryTypeForAStreamingMethod_is415() throws Exception {
    client.request(request("/web.Test/count", "application/proto"), "3".getBytes(), true);
    List<RawHttp2Peer.Frame> frames = client.nextResponse();
    assertThat(frames.get(0).headers().status().toString()).isEqualTo("415");
    assertThat(body(frames)).contains("application/connect+proto");
  }
}
