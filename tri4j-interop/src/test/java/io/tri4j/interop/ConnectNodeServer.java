package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Greeter served by @connectrpc/connect-node over h2c on an ephemeral loopback port, in a node
 * process this test starts: a server nobody here wrote that speaks Connect, gRPC and gRPC-Web on
 * one port. The packages are installed with npm into {@code target/} on first use ({@link
 * NpmPackages#connectScript}); without npm the test class is skipped.
 */
final class ConnectNodeServer {
  private final Process process;
  private final int port;

  private ConnectNodeServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Installs the packages if needed and starts the server; {@code testClass} names the caller. */
  static ConnectNodeServer start(String testClass) throws Exception {
    Path script = NpmPackages.connectScript("/connectnode/greeter-server.mjs", testClass);
    Path log = script.resolveSibling("greeter-server.log");
    Process process =
        new ProcessBuilder("node", script.toString())
            .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    // The server prints its port once it listens; a server that fails exits, ending the output.
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.matches("\\d+")) {
      process.destroyForcibly();
      throw new AssertionError(
          "The connect-node server did not start (printed "
              + line
              + "): "
              + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new ConnectNodeServer(process, Integer.parseInt(line));
  }

  /** The loopback port it listens on. */
  int port() {
    return port;
  }

  /** Stops the server: closing its standard input ends it. */
  void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("node server stopped").isTrue();
  }
}
