package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged {@code tri4j-interop.jar}, run as a user runs it. */
@Timeout(180)
class InteropJarIT {
  private static ProcessBuilder java(String... args) {
    Path jar = Path.of(System.getProperty("tri4j.interopJar", "target/tri4j-interop.jar"));
    assertThat(jar).as("run './mvnw package' first").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void testServer_help_printsUsageAndExitsZero() throws Exception {
    JarRun run = JarRun.of(java("test-server", "--help"));
    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output()).contains("usage: java -jar tri4j-interop.jar test-server [--port N]");
  }

  @Test
  void testServer_unknownOption_exitsTwoNamingIt() throws Exception {
    JarRun run = JarRun.of(java("test-server", "--bogus", "1"));
    assertThat(run.exitValue()).as(run.output()).isEqualTo(2);
    assertThat(run.output())
        .contains("Unknown option --bogus of test-server; options: [port, use_tls]")
        .doesNotContain("serving");
  }

  /** Plaintext, and TLS with gRPC's test CA and server1 certificate from inside the jar. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void testClientAndTestServer_allCasesPass(boolean tls) throws Exception {
    int port = freePort();
    Process server =
        java("test-server", "--port", Integer.toString(port), "--use_tls=" + tls).start();
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).contains("tri4j server started: TCP").contains("TestService");
      assertThat(lines.readLine()).contains("serving");
      Process client =
          java(
                  "test-client",
                  "--server_host",
                  "127.0.0.1",
                  "--server_port",
                  Integer.toString(port),
                  "--test_case",
                  "all",
                  "--use_tls=" + tls,
                  "--use_test_ca=true",
                  "--server_host_override=foo.test.google.fr")
              .start();
      String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(client.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(client.exitValue()).as(output).isZero();
      assertThat(output).contains("PASSED very_large_request").doesNotContain("FAILED");
    } finally {
      server.destroy();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void testClient_againstGrpcJavaServer_oneCase() throws Exception {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    Server grpc =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .maxInboundMessageSize(16 * 1024 * 1024)
            .addService(
                ServerInterceptors.intercept(
                    new io.grpc.testing.integration.TestServiceImpl(executor),
                    io.grpc.testing.integration.TestServiceImpl.interceptors()))
            .build()
            .start();
    try {
      Process client =
          java(
                  "test-client",
                  "--server_host=127.0.0.1",
                  "--server_port=" + grpc.getPort(),
                  "--test_case=large_unary")
              .start();
      String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(client.exitValue()).as(output).isZero();
      assertThat(output).contains("PASSED large_unary");
    } finally {
      grpc.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      executor.shutdownNow();
    }
  }

  @Test
  void testClient_unknownCase_failsWithTheList() throws Exception {
    Process client = java("test-client", "--server_port=1", "--test_case=nope").start();
    String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(client.exitValue()).isNotZero();
    assertThat(output).contains("Unknown test case 'nope'").contains("empty_unary");
  }
}
