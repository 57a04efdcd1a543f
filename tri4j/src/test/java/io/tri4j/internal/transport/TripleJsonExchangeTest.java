package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Protobuf;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServerContext;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Triple's unary JSON over HTTP/2 ({@code application/json}), seen by a bare HTTP/2 client. */
@Timeout(30)
class TripleJsonExchangeTest {
  private static final int MAX_MESSAGE = 256 * 1024;
  private static Server server;
  private RawHttp2Peer client;

  /**
   * "svc.Json": "echo" answers "echo " + its request ("fail:x" fails NOT_FOUND with x) and sets a
   * response header, gzip-compressed where allowed; "count" streams; "raw" takes bytes that are no
   * protobuf message.
   */
  @BeforeAll
  static void startServer() {
    var des = Protobuf.deserializer(StringValue.parser());
    RpcServiceHandler service =
        new RpcServiceHandler(
            "svc.Json",
            Map.of(
                "echo",
                RpcMethodHandler.unary(
                    (StringValue v) -> {
                      if (v.getValue().startsWith("fail:")) {
                        throw Status.NOT_FOUND
                            .withDescription(v.getValue().substring(5))
                            .asException();
                      }
                      ServerContext.current().responseHeaders().put("x-echo", "yes");
                      ServerContext.current().setCompression("gzip"); // if the client takes it
                      return StringValue.of("echo " + v.getValue());
                    },
                    des,
                    Protobuf.serializer()),
                "count",
                RpcMethodHandler.serverStream(
                    (StringValue v, io.tri4j.WriteStream<StringValue> out) -> out.write(v),
                    des,
                    Protobuf.serializer()),
                "raw",
                RpcMethodHandler.<String, String>unary(
                    s -> s,
                    bytes -> new String(bytes, StandardCharsets.UTF_8),
                    s -> s.getBytes(StandardCharsets.UTF_8))));
    server =
        new Server(
                ServerOptions.defaults().withMaxInboundMessageSize(MAX_MESSAGE),
                new ServiceConfig(service).withHost("127.0.0.1").withPort(0))
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

  private record Answer(Http2Headers headers, String body) {}

  private Answer call(String path, String json) throws InterruptedException {
    return call(path, json.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  private Answer call(String path, byte[] body, String contentType) throws InterruptedException {
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme("http")
            .path(path)
            .authority("test")
            .add("content-type", contentType)
            .add("grpc-accept-encoding", "gzip"); // not for Triple JSON, which has no frames
    client.request(headers, body, true);
    RawHttp2Peer.Frame first = client.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RawHttp2Peer.Frame frame = first;
    while (!frame.endStream()) {
      frame = client.next();
      assertThat(frame.headers()).as("no trailers: the status is in the headers").isNull();
      out.writeBytes(frame.data());
    }
    return new Answer(first.headers(), out.toString(StandardCharsets.UTF_8));
  }

  private void assertStillServing() throws InterruptedException {
    assertThat(call("/svc.Json/echo", "\"again\"").body()).isEqualTo("\"echo again\"");
  }

  @Test
  void unary_answersJsonWithStatus200AndMetadata() throws Exception {
    Answer answer = call("/svc.Json/echo", "\"hi\"");
    assertThat(answer.headers().status().toString()).isEqualTo("200");
    assertThat(answer.headers().get("content-type").toString()).isEqualTo("application/json");
    assertThat(answer.headers().get("x-echo").toString()).isEqualTo("yes");
    assertThat(answer.headers().contains("grpc-status")).isFalse();
    assertThat(answer.body()).isEqualTo("\"echo hi\"");
  }

  @Test
  void unary_contentTypeWithCharset_isServed() throws Exception {
    Answer answer =
        call(
            "/svc.Json/echo",
            "\"hi\"".getBytes(StandardCharsets.UTF_8),
            "application/json; charset=utf-8");
    assertThat(answer.body()).isEqualTo("\"echo hi\"");
  }

  @Test
  void unary_bodyLargerThanTheStreamWindow_isServed() throws Exception {
    String large = "x".repeat(200_000); // beyond the 64 KiB a stream may send before credit
    assertThat(call("/svc.Json/echo", "\"" + large + "\"").body())
        .isEqualTo("\"echo " + large + "\"");
  }

  @Test
  void bodyOverTheMessageLimit_isResourceExhaustedInJson() throws Exception {
    Answer answer = call("/svc.Json/echo", "\"" + "x".repeat(MAX_MESSAGE) + "\"");
    assertThat(answer.headers().status().toString()).isEqualTo("429");
    assertThat(answer.body()).contains("\"status\":\"RESOURCE_EXHAUSTED\"").contains("limit");
    assertStillServing();
  }

  @Test
  void failure_isJsonErrorWithItsHttpStatus() throws Exception {
    Answer answer = call("/svc.Json/echo", "\"fail:no such thing\"");
    assertThat(answer.headers().status().toString()).isEqualTo("404");
    assertThat(answer.headers().get("content-type").toString()).isEqualTo("application/json");
    assertThat(answer.headers().get("grpc-status").toString()).isEqualTo("5");
    assertThat(answer.body())
        .isEqualTo("{\"code\":5,\"status\":\"NOT_FOUND\",\"message\":\"no such thing\"}");
  }

  @Test
  void malformedJson_is400InvalidArgument() throws Exception {
    Answer answer = call("/svc.Json/echo", "\"unterminated");
    assertThat(answer.headers().status().toString()).isEqualTo("400");
    assertThat(answer.body())
        .contains("\"status\":\"INVALID_ARGUMENT\"")
        .contains("google.protobuf.StringValue");
    assertStillServing();
  }

  @Test
  void unknownMethod_is404Unimplemented() throws Exception {
    Answer answer = call("/svc.Json/nope", "{}");
    assertThat(answer.headers().status().toString()).isEqualTo("404");
    assertThat(answer.body()).contains("\"status\":\"UNIMPLEMENTED\"").contains("nope");
    assertStillServing();
  }

  @Test
  void streamingMethod_is400NamingGrpcJson() throws Exception {
    Answer answer = call("/svc.Json/count", "\"x\"");
    assertThat(answer.headers().status().toString()).isEqualTo("400");
    assertThat(answer.body()).contains("SERVER_STREAMING").contains("application/grpc+json");
    assertStillServing();
  }

  @Test
  void methodWithoutJson_is415() throws Exception {
    Answer answer = call("/svc.Json/raw", "\"x\"");
    assertThat(answer.headers().status().toString()).isEqualTo("415");
    assertThat(answer.body()).contains("\"code\":12");
    assertStillServing();
  }
}
