package io.tri4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.services.health.HealthStatusManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples server's metrics endpoint, scraped over loopback after real calls. */
@Timeout(60)
class MetricsEndpointTest {

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void metricsPath_servesGrpcServerMetrics_inPrometheusText() throws Exception {
    int metricsPort = freePort();
    try (MetricsEndpoint metrics = MetricsEndpoint.start("127.0.0.1", metricsPort);
        Server server =
            Main.newServer(
                    "127.0.0.1",
                    0,
                    new HealthStatusManager(),
                    false,
                    metrics,
                    ServerOptions.defaults())
                .start();
        Client client =
            new Client(
                ReferenceConfig.fromUrl(
                    "tri://127.0.0.1:" + server.port() + "/" + GreeterTri4j.SERVICE_NAME))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int failures =
          new GreeterClient(client, new PrintStream(out, true, StandardCharsets.UTF_8)).runAll();
      assertThat(failures).as(out.toString(StandardCharsets.UTF_8)).isZero();

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("# TYPE grpc_server_call_duration_seconds histogram")
          .containsPattern(
              "grpc_server_call_duration_seconds_count\\{grpc_method=\""
                  + GreeterTri4j.SERVICE_NAME.replace(".", "\\.")
                  + "/greet\",grpc_status=\"OK\".*} [1-9]")
          .contains("grpc_server_call_started_total")
          .contains("grpc_server_call_rcvd_total_compressed_message_size_bytes_bucket");
    }
  }
}
