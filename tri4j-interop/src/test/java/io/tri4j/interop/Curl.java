package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The curl binary, as a user runs it against the server. Tests that need it are skipped where it is
 * not installed; {@code .ci/run} installs it.
 */
final class Curl {
  private static final Path CURL = Path.of("/usr/bin/curl");

  private Curl() {}

  /** Skips the calling test if curl is not installed. */
  static void assumeInstalled() {
    assumeTrue(Files.isExecutable(CURL), "curl is not installed");
  }

  /**
   * Runs curl with {@code args} (silently, for at most 20 seconds) and returns what it printed;
   * fails the test if it exits with an error.
   */
  static String run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(CURL.toString(), "-sS", "--max-time", "20"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
