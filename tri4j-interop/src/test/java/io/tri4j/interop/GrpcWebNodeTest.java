package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * gRPC-Web from a client nobody here wrote: @connectrpc/connect-node's gRPC-Web transport, over
 * HTTP/1.1 and HTTP/2, with protobuf and with JSON messages, calls the examples' Greeter on its one
 * port. The packages are installed with npm into {@code target/grpcweb} on first use; without npm
 * the class is skipped.
 */
@Timeout(300)
class GrpcWebNodeTest {
  @RegisterExtension static final ExamplesServer SERVER = new ExamplesServer();

  private static Path script;

  @BeforeAll
  static void installClient() throws Exception {
    script = NpmPackages.connectScript("/grpcweb/greeter-client.mjs", "GrpcWebNodeTest");
  }

  private static JarRun node(String httpVersion, String name) throws Exception {
    return node(httpVersion, name, "binary");
  }

  /**
   * Runs the client; {@code format} "json" sends JSON messages ({@code useBinaryFormat: false}).
   */
  private static JarRun node(String httpVersion, String name, String format) throws Exception {
    return JarRun.of(
        new ProcessBuilder("node", script.toString(), SERVER.base(), httpVersion, name, format)
            .redirectErrorStream(true));
  }

  @Test
  void greetAndServerStream_overHttp1_answered() throws Exception {
    JarRun run = node("1.1", "web");

    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output().lines())
        .containsExactly("greet: hello web", "stream: web-0", "stream: web-1", "stream: web-2");
  }

  @Test
  void greetAndServerStream_overHttp2_answered() throws Exception {
    JarRun run = node("2", "h2");

    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output().lines())
        .containsExactly("greet: hello h2", "stream: h2-0", "stream: h2-1", "stream: h2-2");
  }

  @Test
  void json_greetAndServerStream_overHttp1AndHttp2_answered() throws Exception {
    for (String httpVersion : new String[] {"1.1", "2"}) {
      JarRun run = node(httpVersion, "json", "json");

      assertThat(run.exitValue()).as(run.output()).isZero();
      assertThat(run.output().lines())
          .as("HTTP/" + httpVersion)
          .containsExactly(
              "greet: hello json", "stream: json-0", "stream: json-1", "stream: json-2");
    }
  }
}
