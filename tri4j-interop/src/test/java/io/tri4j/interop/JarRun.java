package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A finished run of a command of a jar: its exit status and its output (standard output and error
 * together, as the builders here redirect them).
 */
record JarRun(int exitValue, String output) {

  /** Starts {@code command}, reads its output to the end and waits (a minute at most) for it. */
  static JarRun of(ProcessBuilder command) throws Exception {
    Process process = command.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    return new JarRun(process.exitValue(), output);
  }
}
