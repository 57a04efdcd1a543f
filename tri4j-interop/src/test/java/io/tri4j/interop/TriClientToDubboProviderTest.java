package io.tri4j.interop;

import static io.tri4j.examples.GreeterClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.examples.GreeterClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.dubbo.rpc.model.FrameworkModel;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** tri4j's client against a real Apache Dubbo 3.3 Triple provider, over loopback. */
@Timeout(60)
class TriClientToDubboProviderTest {
  static int port;
  static DubboPeers.Running provider;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    provider = DubboPeers.provider(port, null, "2.0.0", "@g1");
  }

  @AfterAll
  static void stop() {
    provider.close();
    FrameworkModel.destroyAll();
  }

  private static Client client(String query) {
    return new Client(
        ReferenceConfig.fromUrl(
            "tri://127.0.0.1:" + port + "/" + GreeterTri4j.SERVICE_NAME + query));
  }

  @Test
  void exampleClient_allFourStyles_noMismatch() {
    try (Client client = client("")) {
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int failures =
          new GreeterClient(client, new PrintStream(output, true, StandardCharsets.UTF_8)).runAll();
      assertThat(failures).as(output.toString(StandardCharsets.UTF_8)).isZero();
    }
  }

  @Test
  void error_trailersOnlyWithNon200AndRawMessage_isReadWithCodeAndText() {
    try (Client client = client("")) {
      GreeterTri4j.GreeterStub stub = new GreeterTri4j.GreeterStub(client);
      // Dubbo answers :status 500, grpc-status 5, and the message as raw ISO-8859-1 bytes,
      // prefixed with the code; characters beyond U+00FF are lost on its side.
      assertThatThrownBy(() -> stub.greet(request("error:nicht gefunden: grün")))
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> {
                assertThat(e.getStatus().code()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(e.getStatus().description()).endsWith("nicht gefunden: grün");
              });
    }
  }

  @Test
  void deadline_onASlowProvider_isDeadlineExceeded() {
    try (Client client = client("")) {
      GreeterTri4j.GreeterStub stub = new GreeterTri4j.GreeterStub(client);
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  stub.greet(
                      request("sleep:3000"),
                      CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300))))
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void group_routesToThatExport() {
    try (Client g1 = client("?group=g1")) {
      assertThat(new GreeterTri4j.GreeterStub(g1).greet(request("x")).getMessage())
          .isEqualTo("@g1 hello x");
    }
  }

  @Test
  void version_routesToThatExport() {
    try (Client plain = client("");
        Client v2 = client("?version=2.0.0")) {
      assertThat(new GreeterTri4j.GreeterStub(plain).greet(request("x")).getMessage())
          .isEqualTo("hello x");
      assertThat(new GreeterTri4j.GreeterStub(v2).greet(request("x")).getMessage())
          .isEqualTo("2.0.0 hello x");
    }
  }
}
