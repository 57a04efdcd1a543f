package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Clients from the npm registry, installed by the tests themselves into a folder under {@code
 * target/}, so that a fresh machine with Node.js needs nothing by hand. A test class whose client
 * cannot be installed because npm is missing is skipped, saying so; a failing install fails it.
 */
final class NpmPackages {
  private NpmPackages() {}

  /**
   * Installs {@code packages} into {@code prefix} unless {@code installed} (a file or folder under
   * it) is there already.
   */
  static void install(Path prefix, Path installed, String testClass, String... packages)
      throws Exception {
    if (Files.exists(installed)) {
      return;
    }
    Assumptions.assumeTrue(
        npmOnPath(),
        "npm is not installed: " + testClass + " skipped (install Node.js with npm to run it)");
    List<String> command =
        new ArrayList<>(
            List.of(
                "npm",
                "install",
                "--prefix",
                prefix.toString(),
                "--no-save",
                "--no-audit",
                "--no-fund"));
    command.addAll(List.of(packages));
    JarRun install = JarRun.of(new ProcessBuilder(command).redirectErrorStream(true));
    assertThat(install.exitValue())
        .as("npm install %s: %s", String.join(" ", packages), install.output())
        .isZero();
  }

  private static boolean npmOnPath() throws InterruptedException {
    try {
      return new ProcessBuilder("npm", "--version").redirectErrorStream(true).start().waitFor()
          == 0;
    } catch (IOException notOnPath) {
      return false;
    }
  }
}
