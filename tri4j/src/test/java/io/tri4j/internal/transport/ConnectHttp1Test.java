package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Metadata;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.ConnectEndStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Connect protocol over HTTP/1.1, from the JDK's HTTP client. */
@Timeout(30)
class ConnectHttp1Test {
  private static Server server;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startServer() {
    server =
        new Server(
                ServerOptions.defaults().withMaxInboundMessageSize(1024),
                new ServiceConfig(GrpcWebService.create())
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withCompression("gzip"),
                new ServiceConfig(
                        new RpcServiceHandler(
                            "get.Test",
                            Map.of(
                                "read",
                                RpcMethodHandler.<String, String>unary(
                                        s -> "read " + s,
                                        b -> new String(b, StandardCharsets.UTF_8),
                                        s -> s.getBytes(StandardCharsets.UTF_8))
                                    .withNoSideEffects())))
                    .withHost("127.0.0.1")
                    .withPort(0))
            .start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static HttpRequest.Builder request(String path, String contentType, byte[] body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("content-type", contentType)
        .header("connect-protocol-version", "1")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private static HttpResponse<byte[]> post(String path, String contentType, byte[] body)
      throws Exception {
    return send(request(path, contentType, body));
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.ISO_8859_1);
  }

  private static String endStream(Status status) {
    return new String(ConnectEndStream.frame(status, new Metadata()), StandardCharsets.ISO_8859_1);
  }

  @Test
  void unaryProto_answersTheBareMessage() throws Exception {
    HttpResponse<byte[]> response = post("/web.Test/echo", "application/proto", "hi".getBytes());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/proto");
    assertThat(text(response)).isEqualTo("echo hi");
  }

  @Test
  void unaryFailure_isConnectErrorJson_andTheConnectionServesOn() throws Exception {
    HttpResponse<byte[]> failed =
        post("/web.Test/echo", "application/proto", "fail:gone".getBytes());
    assertThat(failed.statusCode()).isEqualTo(404);
    assertThat(failed.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(text(failed)).isEqualTo("{\"code\":\"not_found\",\"message\":\"gone\"}");

    assertThat(text(post("/web.Test/echo", "application/proto", "again".getBytes())))
        .isEqualTo("echo again");
  }

  @Test
  void unknownMethod_is404Unimplemented() throws Exception {
    HttpResponse<byte[]> response = post("/web.Test/nope", "application/proto", new byte[0]);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(text(response))
        .isEqualTo("{\"code\":\"unimplemented\",\"message\":\"Method not found: web.Test/nope\"}");
  }

  @Test
  void serverStream_isChunkedEnvelopesThenEndMessage() throws Exception {
    HttpResponse<byte[]> response =
        post("/web.Test/count", "application/connect+proto", GrpcWebService.framed("2"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/connect+proto");
    assertThat(text(response))
        .isEqualTo(
            new String(GrpcWebService.framed("1", "2"), StandardCharsets.ISO_8859_1)
                + endStream(Status.OK));
  }

  @Test
  void clientStream_fromTheWholeBody_isServed() throws Exception {
    HttpResponse<byte[]> response =
        post("/web.Test/join", "application/connect+proto", GrpcWebService.framed("a", "b"));
    assertThat(text(response))
        .isEqualTo(
            new String(GrpcWebService.framed("a+b"), StandardCharsets.ISO_8859_1)
                + endStream(Status.OK));
  }

  @Test
  void acceptEncodingGzip_compressesTheUnaryResponse() throws Exception {
    HttpResponse<byte[]> response =
        send(
            request("/web.Test/echo", "application/proto", "hi".getBytes())
                .header("accept-encoding", "gzip"));
    assertThat(response.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(Compression.GZIP.decompress(response.body(), 1000)).isEqualTo("echo hi".getBytes());
  }

  @Test
  void connectAcceptEncodingGzip_compressesStreamedMessages() throws Exception {
    HttpResponse<byte[]> response =
        send(
            request("/web.Test/count", "application/connect+proto", GrpcWebService.framed("1"))
                .header("connect-accept-encoding", "gzip"));
    assertThat(response.headers().firstValue("connect-content-encoding")).hasValue("gzip");
    assertThat(response.body()[0]).as("compressed flag").isEqualTo((byte) 1);
  }

  @Test
  void bodyOverTheLimit_is413WithConnectError() throws Exception {
    HttpResponse<byte[]> response = post("/web.Test/echo", "application/proto", new byte[4096]);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(text(response)).startsWith("{\"code\":\"resource_exhausted\",\"message\":");
  }

  @Test
  void get_isRefusedForAMethodWithSideEffects_thenServedForOneWithout() throws Exception {
    HttpResponse<byte[]> refused =
        send(
            HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + server.port()
                        + "/web.Test/echo?encoding=proto&message=x")));
    assertThat(refused.statusCode()).isEqualTo(405);
    assertThat(refused.headers().firstValue("allow")).hasValue("POST");
    assertThat(text(refused)).contains("\"code\":\"unimplemented\"");

    HttpResponse<byte[]> served =
        send(
            HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + server.port()
                        + "/get.Test/read?encoding=proto&message=a%20b&connect=v1")));
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("vary")).hasValue("accept-encoding");
    assertThat(text(served)).isEqualTo("read a b");
  }

  @Test
  void malformedEnvelope_endsTheStreamWithAnError() throws Exception {
    HttpResponse<byte[]> response =
        post("/web.Test/count", "application/connect+proto", new byte[] {0, 0, 0});
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(text(response)).contains("\"error\":{\"code\":");
  }
}
