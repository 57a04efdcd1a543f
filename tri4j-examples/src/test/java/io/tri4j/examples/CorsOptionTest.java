package io.tri4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.Server;
import io.tri4j.services.health.HealthStatusManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server command's {@code --cors}: pages from the origins it names may call the server. */
@Timeout(60)
class CorsOptionTest {

  private static Options serverArgs(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "server";
    System.arraycopy(args, 0, all, 1, args.length);
    return new Options(all, 1, Main.SERVER_OPTIONS);
  }

  /** A browser's preflight for a gRPC-Web call of Greeter from {@code origin}. */
  private static HttpResponse<Void> preflight(int port, String origin) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/" + GreeterTri4j.SERVICE_NAME + "/greet"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,x-grpc-web")
            .timeout(Duration.ofSeconds(10))
            .build();
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request, HttpResponse.BodyHandlers.discarding());
  }

  @Test
  void cors_listedOrigins_arePreflightedAndOthersRefused() throws Exception {
    try (Server server =
        Main.newServer(
                "127.0.0.1",
                0,
                new HealthStatusManager(),
                false,
                null,
                Main.serverOptions(
                    serverArgs("--cors", "http://localhost:5173,https://app.example.com")))
            .start()) {
      HttpResponse<Void> allowed = preflight(server.port(), "https://app.example.com");
      assertThat(allowed.statusCode()).isEqualTo(204);
      assertThat(allowed.headers().firstValue("access-control-allow-origin"))
          .hasValue("https://app.example.com");

      assertThat(preflight(server.port(), "https://elsewhere.example.com").statusCode())
          .isEqualTo(403);
    }
  }

  @Test
  void noCors_isSameOriginOnly() {
    assertThat(Main.serverOptions(serverArgs()).corsAllowedOrigins()).isEmpty();
    assertThat(Main.serverOptions(serverArgs("--cors", "*")).corsAllowedOrigins())
        .isEqualTo(List.of("*"));
  }

  @Test
  void cors_notAnOrigin_isRefusedSayingWhatToWrite() {
    assertThatThrownBy(() -> Main.serverOptions(serverArgs("--cors", "app.example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CORS origin 'app.example.com' is not an origin")
        .hasMessageContaining("scheme://host[:port]");
    assertThatThrownBy(() -> Main.serverOptions(serverArgs("--cors", "http://a.example,")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
  }
}
