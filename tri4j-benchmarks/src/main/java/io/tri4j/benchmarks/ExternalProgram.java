package io.tri4j.benchmarks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** A program the runner starts that is not Java (h2load, nghttpd), and the Debian package of it. */
record ExternalProgram(String name, String debianPackage) {
  /** Whether the program is on the {@code PATH}. */
  boolean installed() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
          return true;
        }
      }
    }
    return false;
  }

  /** How to get the program where it is missing. */
  String installHint() {
    return name
        + " is not on the PATH: install it with `apt-get install "
        + debianPackage
        + "` (Debian, Ubuntu)";
  }

  /**
   * Whether a run can use the program: if it is missing, a run that {@code named} it fails with
   * {@link #installHint()}, and another run says so and goes on without it.
   *
   * @throws IllegalStateException if it is missing and {@code named}
   */
  boolean usable(boolean named) {
    if (installed()) {
      return true;
    }
    if (named) {
      throw new IllegalStateException(installHint());
    }
    System.err.println(installHint() + "; its rows are left out.");
    return false;
  }
}
