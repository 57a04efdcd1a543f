package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Metadata;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.internal.codec.GrpcWebTrailers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** gRPC-Web over HTTP/1.1, called with Java's HttpClient on the server's one port. */
@Timeout(30)
class Http1GrpcWebStreamTest {
  private static Server server;
  private static HttpClient http;

  @BeforeAll
  static void startServer() {
    server =
        new Server(new ServiceConfig(GrpcWebService.create()).withHost("127.0.0.1").withPort(0))
            .start();
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static HttpResponse<byte[]> post(String method, String contentType, byte[] body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/web.Test/" + method))
            .timeout(Duration.ofSeconds(10))
            .header("content-type", contentType)
            .header("x-grpc-web", "1")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    return response;
  }

  @Test
  void unary_binary_answersFramesAndTrailersFrame() throws Exception {
    HttpResponse<byte[]> response =
        post("echo", "application/grpc-web+proto", GrpcWebService.framed("hi"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("application/grpc-web+proto");
    assertThat(response.body())
        .isEqualTo(
            GrpcWebTest.concat(
                GrpcWebService.framed("echo hi"),
                GrpcWebTrailers.frame(Status.OK, new Metadata())));
  }

  @Test
  void unary_json_andTextJson_answerJsonMessages() throws Exception {
    HttpResponse<byte[]> binary =
        post("greet", "application/grpc-web+json", GrpcWebService.framed("\"json\""));
    assertThat(binary.headers().firstValue("content-type")).hasValue("application/grpc-web+json");
    assertThat(binary.body())
        .isEqualTo(
            GrpcWebTest.concat(
                GrpcWebService.framed("\"hello json\""),
                GrpcWebTrailers.frame(Status.OK, new Metadata())));
    HttpResponse<byte[]> text =
        post(
            "greet",
            "application/grpc-web-text+json",
            java.util.Base64.getEncoder().encode(GrpcWebService.framed("\"text\"")));
    assertThat(text.headers().firstValue("content-type"))
        .hasValue("application/grpc-web-text+json");
    assertThat(GrpcWebService.decodeText(text.body()))
        .isEqualTo(
            GrpcWebTest.concat(
                GrpcWebService.framed("\"hello text\""),
                GrpcWebTrailers.frame(Status.OK, new Metadata())));
  }

  @Test
  void malformedJson_isInvalidArgumentInTrailers() throws Exception {
    HttpResponse<byte[]> response =
        post("greet", "application/grpc-web+json", GrpcWebService.framed("\"open"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("grpc-status")).hasValue("3");
    assertThat(response.headers().firstValue("grpc-message").orElseThrow()).contains("StringValue");
  }

  @Test
  void invalidGrpcTimeout_isInternalNamingIt() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/web.Test/echo"))
            .header("content-type", "application/grpc-web+proto")
            .header("grpc-timeout", "soon")
            .POST(HttpRequest.BodyPublishers.ofByteArray(GrpcWebService.framed("x")))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("grpc-status")).hasValue("13");
    assertThat(response.headers().firstValue("grpc-message").orElseThrow()).contains("soon");
  }

  @Test
  void serverStream_answersEachMessageThenTrailers() throws Exception {
    HttpResponse<byte[]> response =
        post("count", "application/grpc-web", GrpcWebService.framed("2"));
    assertThat(response.body())
        .isEqualTo(
            GrpcWebTest.concat(
                GrpcWebService.framed("1", "2"), GrpcWebTrailers.frame(Status.OK, new Metadata())));
  }

  @Test
  void text_answersBase64() throws Exception {
    byte[] body = Base64.getEncoder().encode(GrpcWebService.framed("hi"));
    HttpResponse<byte[]> response = post("echo", "application/grpc-web-text", body);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("application/grpc-web-text+proto");
    assertThat(GrpcWebService.decodeText(response.body()))
        .isEqualTo(
            GrpcWebTest.concat(
                GrpcWebService.framed("echo hi"),
                GrpcWebTrailers.frame(Status.OK, new Metadata())));
  }

  @Test
  void failure_isTrailersOnly_andTheServerServesOn() throws Exception {
    HttpResponse<byte[]> response =
        post("echo", "application/grpc-web+proto", GrpcWebService.framed("fail:gone"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("grpc-status")).hasValue("5");
    assertThat(response.headers().firstValue("grpc-message")).hasValue("gone");
    assertThat(response.body()).isEmpty();

    assertThat(post("echo", "application/grpc-web+proto", GrpcWebService.framed("ok")).body())
        .startsWith(GrpcWebService.framed("echo ok"));
  }

  @Test
  void badBase64_isInvalidArgument() throws Exception {
    HttpResponse<byte[]> response =
        post("echo", "application/grpc-web-text", "%%%%".getBytes(StandardCharsets.US_ASCII));
    assertThat(response.headers().firstValue("grpc-status")).hasValue("3");
    assertThat(response.headers().firstValue("grpc-message").orElseThrow()).contains("not base64");
  }

  @Test
  void clientStream_overHttp1_isUnimplementedWithReason() throws Exception {
    HttpResponse<byte[]> response =
        post("join", "application/grpc-web+proto", GrpcWebService.framed("a"));
    assertThat(response.headers().firstValue("grpc-status")).hasValue("12");
    assertThat(response.headers().firstValue("grpc-message").orElseThrow()).contains("HTTP/2");
  }

  @Test
  void unknownMethod_isUnimplemented() throws Exception {
    HttpResponse<byte[]> response =
        post("nope", "application/grpc-web+proto", GrpcWebService.framed("a"));
    assertThat(response.headers().firstValue("grpc-status")).hasValue("12");
  }
}
