package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Connect protocol from a client nobody here wrote: @connectrpc/connect-node's Connect
 * transport, binary and JSON, over HTTP/1.1 and HTTP/2, calls the examples' Greeter on its one
 * port; its gRPC transport does too, over HTTP/2. npm installs the packages into {@code target/} on
 * first use; without npm the class is skipped.
 */
@Timeout(300)
class ConnectNodeTest {
  @RegisterExtension static final ExamplesServer SERVER = new ExamplesServer();

  private static final String MISSING =
      "error: Unimplemented Method not found: org.apache.dubbo.samples.proto.Greeter/missing";

  private static Path script;

  @BeforeAll
  static void installClient() throws Exception {
    script = NpmPackages.connectScript("/connect/greeter-client.mjs", "ConnectNodeTest");
  }

  private static JarRun node(String httpVersion, String format, String name) throws Exception {
    return node(httpVersion, format, name, "connect");
  }

  /**
   * Runs the client with connect-node's {@code protocol} transport ({@code connect}, {@code grpc}).
   */
  private static JarRun node(String httpVersion, String format, String name, String protocol)
      throws Exception {
    return JarRun.of(
        new ProcessBuilder(
                "node", script.toString(), SERVER.base(), httpVersion, format, name, protocol)
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

  @ParameterizedTest
  @ValueSource(strings = {"binary", "json"})
  void everyStyle_withConnectNodesGrpcTransport_answered(String format) throws Exception {
    JarRun run = node("2", format, "grpc", "grpc");

    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output().lines())
        .containsExactly(
            "greet: hello grpc",
            "stream: grpc-0",
            "stream: grpc-1",
            "stream: grpc-2",
            "client: grpc-a grpc-b",
            "bidi: grpc-a",
            "bidi: grpc-b",
            MISSING);
  }
}
