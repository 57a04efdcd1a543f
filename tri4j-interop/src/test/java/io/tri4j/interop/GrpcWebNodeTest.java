package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * gRPC-Web from a client nobody here wrote: @connectrpc/connect-node's gRPC-Web transport, over
 * HTTP/1.1 and HTTP/2, calls the examples' Greeter on its one port. The packages are installed with
 * npm into {@code target/grpcweb} on first use; without npm the class is skipped.
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
    return JarRun.of(
        new ProcessBuilder("node", script.toString(), SERVER.base(), httpVersion, name)
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
}
