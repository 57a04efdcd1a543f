package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Client;
import io.tri4j.Protobuf;
import io.tri4j.ReferenceConfig;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.StreamingCall;
import io.tri4j.examples.GreeterService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example Greeter server answering HTTP/1.1 + JSON on its gRPC port (JDK HttpClient and the
 * curl binary), bad HTTP/1.1 input, and application/grpc+json over HTTP/2 for all four styles.
 */
@Timeout(60)
class HttpJsonTest {
  static final String GREETER = "/" + GreeterTri4j.SERVICE_NAME;
  static Server server;
  static HttpClient http;
  static String base;

  @BeforeAll
  static void start() {
    server =
        new Server(
                ServerOptions.defaults().withMaxInboundMessageSize(64 * 1024),
                new ServiceConfig(GreeterService.handler()).withHost("127.0.0.1").withPort(0))
            .start();
    base = "http://127.0.0.1:" + server.port();
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> post(String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static void assertStillServing() throws Exception {
    HttpResponse<String> ok = post(GREETER + "/greet", "application/json", "{\"name\":\"again\"}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("{\"message\":\"hello again\"}");
  }

  @Test
  void unary_jsonInJsonOut() throws Exception {
    HttpResponse<String> response =
        post(GREETER + "/greet", "application/json", "{\"name\":\"json\"}");
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo("{\"message\":\"hello json\"}");
  }

  @Test
  void serverStream_isServerSentEvents() throws Exception {
    HttpResponse<String> response =
        post(GREETER + "/serverStream", "application/json; charset=utf-8", "{\"name\":\"sse\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(response.body())
        .isEqualTo(
            "data: {\"message\":\"sse-0\"}\n\n"
                + "data: {\"message\":\"sse-1\"}\n\n"
                + "data: {\"message\":\"sse-2\"}\n\n");
  }

  @Test
  void streamingRequests_needHttp2_clear4xx() throws Exception {
    for (String method : List.of("clientStream", "biStream")) {
      HttpResponse<String> response =
          post(GREETER + "/" + method, "application/json", "{\"name\":\"x\"}");
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("HTTP/2").contains("\"code\":12");
    }
    assertStillServing();
  }

  @Test
  void malformedJson_is400InvalidArgument() throws Exception {
    HttpResponse<String> response = post(GREETER + "/greet", "application/json", "{\"name\":");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("\"status\":\"INVALID_ARGUMENT\"")
        .contains("GreeterRequest");
    assertStillServing();
  }

  @Test
  void unknownField_is400NamingTheField() throws Exception {
    HttpResponse<String> response =
        post(GREETER + "/greet", "application/json", "{\"nmae\":\"x\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("nmae");
    assertStillServing();
  }

  @Test
  void get_is405WithAllowPost() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + GREETER + "/greet")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("allow")).hasValue("POST");
    assertThat(response.body()).contains("POST");
    assertStillServing();
  }

  @Test
  void missingOrWrongContentType_is415() throws Exception {
    assertThat(post(GREETER + "/greet", null, "{\"name\":\"x\"}").statusCode()).isEqualTo(415);
    HttpResponse<String> text = post(GREETER + "/greet", "text/plain", "{\"name\":\"x\"}");
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.body()).contains("application/json");
    assertStillServing();
  }

  @Test
  void oversizeBody_is413() throws Exception {
    String huge = "{\"name\":\"" + "x".repeat(100_000) + "\"}";
    HttpResponse<String> response = post(GREETER + "/greet", "application/json", huge);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("RESOURCE_EXHAUSTED");
    assertStillServing();
  }

  @Test
  void unknownServiceOrMethod_is404Unimplemented() throws Exception {
    HttpResponse<String> service = post("/no.Such/greet", "application/json", "{}");
    assertThat(service.statusCode()).isEqualTo(404);
    assertThat(service.body()).contains("Service not found: no.Such");
    HttpResponse<String> method = post(GREETER + "/nope", "application/json", "{}");
    assertThat(method.statusCode()).isEqualTo(404);
    assertThat(method.body()).contains("Method not found");
    assertStillServing();
  }

  @Test
  void curl_unaryAndServerStream() throws Exception {
    Curl.assumeInstalled();
    assertThat(
            Curl.run(
                "-X",
                "POST",
                "-H",
                "Content-Type: application/json",
                "-d",
                "{\"name\":\"curl\"}",
                base + GREETER + "/greet"))
        .isEqualTo("{\"message\":\"hello curl\"}");
    assertThat(
            Curl.run(
                "-N",
                "-X",
                "POST",
                "-H",
                "Content-Type: application/json",
                "-d",
                "{\"name\":\"curl\"}",
                base + GREETER + "/serverStream"))
        .contains("data: {\"message\":\"curl-2\"}");
  }

  @Test
  void curl_tripleJsonOverHttp2_unary() throws Exception {
    Curl.assumeInstalled();
    assertThat(
            Curl.run(
                "--http2-prior-knowledge",
                "-H",
                "Content-Type: application/json",
                "-d",
                "{\"name\":\"h2\"}",
                base + GREETER + "/greet"))
        .isEqualTo("{\"message\":\"hello h2\"}");
  }

  @Test
  void grpcJson_overHttp2_allFourStyles() {
    try (Client client =
        new Client(
            ReferenceConfig.fromUrl(
                "tri://127.0.0.1:" + server.port() + GREETER + "?serialization=json"))) {
      var ser = Protobuf.<GreeterRequest>jsonSerializer();
      var des = Protobuf.jsonDeserializer(GreeterReply.getDefaultInstance());
      GreeterRequest a = GreeterRequest.newBuilder().setName("a").build();
      GreeterRequest b = GreeterRequest.newBuilder().setName("b").build();
      assertThat(client.unary("greet", ser, des).call(a).getMessage()).isEqualTo("hello a");
      assertThat(client.clientStream("clientStream", ser, des).call(List.of(a, b)).getMessage())
          .isEqualTo("a b");
      List<String> streamed = new ArrayList<>();
      client
          .serverStream("serverStream", ser, des)
          .call(a)
          .forEach(r -> streamed.add(r.getMessage()));
      assertThat(streamed).containsExactly("a-0", "a-1", "a-2");
      StreamingCall<GreeterRequest, GreeterReply> bidi =
          client.bidiStream("biStream", ser, des).call();
      bidi.write(a);
      assertThat(bidi.read().getMessage()).isEqualTo("a");
      bidi.write(b);
      bidi.doneWriting();
      assertThat(bidi.read().getMessage()).isEqualTo("b");
      assertThat(bidi.read()).isNull();
    }
  }
}
