package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Clients from the npm registry, installed by the tests themselves into a folder under {@code
 * target/}, so that a fresh machine with Node.js needs nothing by hand. A test class whose client
 * cannot be installed because npm is missing is skipped, saying so; a failing install fails it.
 */
final class NpmPackages {
  private static final String[] CONNECT_PACKAGES = {
    "@connectrpc/connect@2.2.0", "@connectrpc/connect-node@2.2.0", "@bufbuild/protobuf@2.17.0"
  };

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

  /**
   * The packages of the Connect node scripts (@connectrpc/connect-node and @bufbuild/protobuf),
   * installed into {@code target/grpcweb}, with the script at {@code resource} and the Greeter
   * descriptor it imports copied next to them (so that node resolves the packages from its folder);
   * returns the script's path.
   */
  static Path connectScript(String resource, String testClass) throws Exception {
    Path prefix = Path.of("target", "grpcweb");
    Path installed = prefix.resolve(Path.of("node_modules", "@connectrpc", "connect-node"));
    install(prefix, installed, testClass, CONNECT_PACKAGES);
    copy("/connect/greeter-service.mjs", prefix); // the Greeter descriptor the scripts import
    return copy(resource, prefix);
  }

  /** Copies a resource into {@code folder}, named after its path; returns the copy's path. */
  private static Path copy(String resource, Path folder) throws IOException {
    Path copy = folder.resolve(resource.substring(1).replace('/', '-')).toAbsolutePath();
    try (InputStream in = NpmPackages.class.getResourceAsStream(resource)) {
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
    }
    return copy;
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
