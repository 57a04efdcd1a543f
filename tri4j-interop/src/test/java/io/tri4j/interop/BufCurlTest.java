package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Server;
import io.tri4j.examples.GreeterServer;
import io.tri4j.services.health.HealthStatusManager;
import io.tri4j.services.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code buf curl}, a gRPC client nobody here wrote and one outside the JVM, against the examples'
 * server: it learns the schema by server reflection alone, and calls in gRPC, gRPC-Web and the
 * Connect protocol. buf comes from the npm package {@code @bufbuild/buf}, installed into {@code
 * target/buf} on first use; without npm the class is skipped.
 */
@Timeout(300)
class BufCurlTest {
  private static final String BUF_PACKAGE = "@bufbuild/buf@1.75.0";
  private static final Path PREFIX = Path.of("target", "buf");

  private static Path buf;
  private static Server server;
  private static String base;

  @BeforeAll
  static void installBufAndServe() throws Exception {
    buf = PREFIX.resolve(Path.of("node_modules", ".bin", "buf")).toAbsolutePath();
    NpmPackages.install(PREFIX, buf, "BufCurlTest", BUF_PACKAGE);
    HealthStatusManager health = new HealthStatusManager();
    server = new Server(GreeterServer.configs("127.0.0.1", 0, health, true)).start();
    health.setStatus(GreeterTri4j.SERVICE_NAME, ServingStatus.SERVING);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Runs {@code buf curl} over gRPC (HTTP/2 without TLS) with {@code arguments}. */
  private static JarRun bufCurl(String... arguments) throws Exception {
    return bufCurlIn("grpc", arguments);
  }

  /**
   * Runs {@code buf curl} in {@code protocol} ({@code grpc}, {@code grpcweb} or {@code connect}),
   * over HTTP/2 without TLS: the schema comes by reflection, a bidi stream in the same protocol.
   */
  private static JarRun bufCurlIn(String protocol, String... arguments) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(buf.toString(), "curl", "--protocol", protocol, "--http2-prior-knowledge"));
    command.addAll(List.of(arguments));
    return JarRun.of(new ProcessBuilder(command).redirectErrorStream(true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"connect", "grpcweb"})
  void greetAndServerStream_inTheWebProtocols_schemaByReflection(String protocol) throws Exception {
    JarRun greet =
        bufCurlIn(
            protocol,
            "--data",
            "{\"name\": \"" + protocol + "\"}",
            base + "/" + GreeterTri4j.SERVICE_NAME + "/greet");
    JarRun stream =
        bufCurlIn(
            protocol,
            "--data",
            "{\"name\": \"" + protocol + "\"}",
            base + "/" + GreeterTri4j.SERVICE_NAME + "/serverStream");

    assertThat(greet.exitValue()).as(greet.output()).isZero();
    assertThat(greet.output()).contains("\"message\": \"hello " + protocol + "\"");
    assertThat(stream.exitValue()).as(stream.output()).isZero();
    assertThat(stream.output()).contains(protocol + "-0", protocol + "-1", protocol + "-2");
  }

  @Test
  void listServices_byReflection_greeterHealthAndReflection() throws Exception {
    JarRun run = bufCurl("--list-services", base);

    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output().lines())
        .contains(
            GreeterTri4j.SERVICE_NAME,
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");
  }

  @Test
  void listMethods_byReflection_greetersFour() throws Exception {
    JarRun run = bufCurl("--list-methods", base);

    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output().lines())
        .contains(
            GreeterTri4j.SERVICE_NAME + "/greet", GreeterTri4j.SERVICE_NAME + "/serverStream");
  }

  @Test
  void greet_schemaByReflection_helloAndTheName() throws Exception {
    JarRun run =
        bufCurl("--data", "{\"name\": \"buf\"}", base + "/" + GreeterTri4j.SERVICE_NAME + "/greet");

    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output()).contains("\"message\": \"hello buf\"");
  }

  @Test
  void serverStream_schemaByReflection_threeReplies() throws Exception {
    JarRun run =
        bufCurl(
            "--data",
            "{\"name\": \"buf\"}",
            base + "/" + GreeterTri4j.SERVICE_NAME + "/serverStream");

    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output()).contains("buf-0", "buf-1", "buf-2");
  }

  @Test
  void healthCheck_greeter_serving() throws Exception {
    JarRun run =
        bufCurl(
            "--data",
            "{\"service\": \"" + GreeterTri4j.SERVICE_NAME + "\"}",
            base + "/grpc.health.v1.Health/Check");

    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output()).contains("\"status\": \"SERVING\"");
  }
}
