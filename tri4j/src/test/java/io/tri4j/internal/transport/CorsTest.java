package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CORS over real sockets, HTTP/1.1 (Java's HttpClient) and HTTP/2 (a bare client). */
@Timeout(30)
class CorsTest {
  private static final String ALLOWED = "https://app.example.com";
  private static final String OTHER = "https://evil.example.com";
  private static Server server;
  private static Server sameOriginOnly;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    server = start(ServerOptions.defaults().withCorsAllowedOrigins(ALLOWED));
    sameOriginOnly = start(ServerOptions.defaults());
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  private static Server start(ServerOptions options) {
    return new Server(
            options, new ServiceConfig(GrpcWebService.create()).withHost("127.0.0.1").withPort(0))
        .start();
  }

  @AfterAll
  static void stop() {
    server.close();
    sameOriginOnly.close();
  }

  // ---- HTTP/2 ----

  private static Http2Headers h2(String method, String origin) {
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method(method)
            .scheme("http")
            .path("/web.Test/echo")
            .authority("test")
            .add("origin", origin);
    if (method.equals("OPTIONS")) {
      headers
          .add("access-control-request-method", "POST")
          .add("access-control-request-headers", "content-type,x-grpc-web,x-user-agent");
    } else {
      headers.add("content-type", "application/grpc-web+proto");
    }
    return headers;
  }

  /** The response headers of one request on a new connection to {@code to}. */
  private static Http2Headers h2Answer(Server to, Http2Headers request, byte[] body)
      throws InterruptedException {
    try (RawHttp2Peer client = RawHttp2Peer.client(to.port())) {
      client.request(request, body, true);
      return client.next().headers();
    }
  }

  @Test
  void http2_preflightFromAllowedOrigin_is204AllowingIt() throws Exception {
    Http2Headers answer = h2Answer(server, h2("OPTIONS", ALLOWED), null);
    assertThat(answer.status().toString()).isEqualTo("204");
    assertThat(answer.get("access-control-allow-origin").toString()).isEqualTo(ALLOWED);
    assertThat(answer.get("access-control-allow-methods").toString()).contains("POST");
    assertThat(answer.get("access-control-allow-headers").toString())
        .isEqualTo("content-type,x-grpc-web,x-user-agent");
    assertThat(answer.get("access-control-max-age").toString()).isEqualTo("7200");
  }

  @Test
  void http2_preflightFromOtherOrigin_is403WithoutCors() throws Exception {
    Http2Headers answer = h2Answer(server, h2("OPTIONS", OTHER), null);
    assertThat(answer.status().toString()).isEqualTo("403");
    assertThat(answer.contains("access-control-allow-origin")).isFalse();
  }

  @Test
  void http2_callFromAllowedOrigin_exposesGrpcHeaders() throws Exception {
    Http2Headers answer = h2Answer(server, h2("POST", ALLOWED), GrpcWebService.framed("fail:gone"));
    assertThat(answer.get("grpc-status").toString()).isEqualTo("5"); // trailers-only
    assertThat(answer.get("access-control-allow-origin").toString()).isEqualTo(ALLOWED);
    assertThat(exposed(answer.get("access-control-expose-headers")))
        .contains("grpc-status", "grpc-message", "grpc-status-details-bin", "grpc-encoding");
  }

  @Test
  void http2_callFromOtherOrigin_isServedWithoutCors() throws Exception {
    Http2Headers answer = h2Answer(server, h2("POST", OTHER), GrpcWebService.framed("hi"));
    assertThat(answer.status().toString()).isEqualTo("200");
    assertThat(answer.contains("access-control-allow-origin")).isFalse();
    assertThat(answer.contains("access-control-expose-headers")).isFalse();
  }

  @Test
  void http2_withoutAllowedOrigins_noCorsAndNoPreflight() throws Exception {
    Http2Headers call = h2Answer(sameOriginOnly, h2("POST", ALLOWED), GrpcWebService.framed("x"));
    assertThat(call.status().toString()).isEqualTo("200");
    assertThat(call.contains("access-control-allow-origin")).isFalse();
    assertThat(h2Answer(sameOriginOnly, h2("OPTIONS", ALLOWED), null).status().toString())
        .isEqualTo("405");
  }

  // ---- HTTP/1.1 ----

  private static HttpResponse<byte[]> h1(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpRequest.Builder h1Preflight(String origin) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/web.Test/echo"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type");
  }

  private static HttpRequest.Builder h1Call(String origin, String message) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/web.Test/echo"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(GrpcWebService.framed(message)))
        .header("Content-Type", "application/grpc-web+proto")
        .header("Origin", origin);
  }

  @Test
  void http1_preflight_allowedIs204_otherIs403_thenCallsGoOn() throws Exception {
    HttpResponse<byte[]> allowed = h1(h1Preflight(ALLOWED));
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue(ALLOWED);
    assertThat(allowed.headers().firstValue("access-control-allow-headers"))
        .hasValue("content-type");
    assertThat(allowed.headers().firstValue("access-control-max-age")).hasValue("7200");
    HttpResponse<byte[]> other = h1(h1Preflight(OTHER));
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(h1(h1Call(ALLOWED, "after")).statusCode()).isEqualTo(200);
  }

  @Test
  void http1_callFromAllowedOrigin_exposesGrpcHeaders_otherGetsNone() throws Exception {
    HttpResponse<byte[]> allowed = h1(h1Call(ALLOWED, "hi"));
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue(ALLOWED);
    assertThat(exposed(allowed.headers().firstValue("access-control-expose-headers").orElse("")))
        .contains("grpc-status", "grpc-message");
    HttpResponse<byte[]> other = h1(h1Call(OTHER, "hi"));
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  private static List<String> exposed(CharSequence header) {
    return Arrays.stream(header.toString().split(",")).map(String::trim).toList();
  }
}
