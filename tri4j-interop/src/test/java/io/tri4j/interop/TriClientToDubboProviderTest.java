package io.tri4j.interop;

import static io.tri4j.examples.GreeterStub.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.examples.GreeterClient;
import io.tri4j.examples.GreeterService;
import io.tri4j.examples.GreeterStub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.dubbo.rpc.model.FrameworkModel;
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
            "tri://127.0.0.1:" + port + "/" + GreeterService.SERVICE_NAME + query));
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
      GreeterStub stub = new GreeterStub(client);
      // Dubbo answers :status 500, grpc-status 5, and the message as raw ISO-8859-1 bytes,
      // prefixed with the code; characters beyond U+00FF are lost on its side.
      assertThatThrownBy(() -> stub.greet.call(request("error:nicht gefunden: grün")))
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
      GreeterStub stub = new GreeterStub(client);
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  stub.greet.call(
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
      assertThat(new GreeterStub(g1).greet.call(request("x")).getMessage())
          .isEqualTo("@g1 hello x");
    }
  }

  @Test
  void version_routesToThatExport() {
    try (Client plain = client("");
        Client v2 = client("?version=2.0.0")) {
      assertThat(new GreeterStub(plain).greet.call(request("x")).getMessage()).isEqualTo("hello x");
      assertThat(new GreeterStub(v2).greet.call(request("x")).getMessage())
          .isEqualTo("2.0.0 hello x");
    }
  }
}
