package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Server;
import io.tri4j.examples.GreeterServer;
import io.tri4j.services.health.HealthStatusManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Connect protocol from a client nobody here wrote: @connectrpc/connect-node's Connect
 * transport, binary and JSON, over HTTP/1.1 and HTTP/2, calls the examples' Greeter on its one
 * port. The packages are those {@link GrpcWebNodeTest} uses, installed with npm into the same
 * folder on first use; without npm the class is skipped.
 */
@Timeout(300)
class ConnectNodeTest {
  private static final String[] PACKAGES = {
    "@connectrpc/connect@2.2.0", "@connectrpc/connect-node@2.2.0", "@bufbuild/protobuf@2.17.0"
  };
  private static final Path PREFIX = Path.of("target", "grpcweb");
  private static final String MISSING =
      "error: Unimplemented Method not found: org.apache.dubbo.samples.proto.Greeter/missing";

  private static Path script;
  private static Server server;
  private static String base;

  @BeforeAll
  static void installClientAndServe() throws Exception {
    Path installed = PREFIX.resolve(Path.of("node_modules", "@connectrpc", "connect-node"));
    NpmPackages.install(PREFIX, installed, "ConnectNodeTest", PACKAGES);
    // Next to node_modules, so that node resolves the packages from the script's folder.
    script = PREFIX.resolve("connect-greeter-client.mjs").toAbsolutePath();
    try (InputStream in =
        ConnectNodeTest.class.getResourceAsStream("/connect/greeter-client.mjs")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    server =
        new Server(GreeterServer.configs("127.0.0.1", 0, new HealthStatusManager(), true)).start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static JarRun node(String httpVersion, String format, String name) throws Exception {
    return JarRun.of(
        new ProcessBuilder("node", script.toString(), base, httpVersion, format, name)
            .redirectErrorStream(true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"binary", "json"})
  void unaryAndServerStream_overHttp1_answered(String format) throws Exception {
    JarRun run = node("1.1", format, "one");

    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output().lines())
        .containsExactly(
            "greet: hello one", "stream: one-0", "stream: one-1", "stream: one-2", MISSING);
  }

  @ParameterizedTest
  @ValueSource(strings = {"binary", "json"})
  void everyStyle_overHttp2_answered(String format) throws Exception {
    JarRun run = node("2", format, "two");

    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output().lines())
        .containsExactly(
            "greet: hello two",
            "stream: two-0",
            "stream: two-1",
            "stream: two-2",
            "client: two-a two-b",
            "bidi: two-a",
            "bidi: two-b",
            MISSING);
  }
}
