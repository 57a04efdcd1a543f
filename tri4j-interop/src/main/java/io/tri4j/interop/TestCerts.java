package io.tri4j.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * gRPC's interop test certificates (its CA, and {@code server1} for {@code *.test.google.fr}),
 * which the build copies from grpc-java's testing artifact into this jar; written to files for
 * tri4j's PEM settings.
 */
final class TestCerts {
  /** The name gRPC's interop clients check server1's certificate against. */
  static final String SERVER_HOST_OVERRIDE = "foo.test.google.fr";

  private static Path dir;

  private TestCerts() {}

  /** A file holding {@code name} ({@code ca.pem}, {@code server1.pem}, {@code server1.key}). */
  static synchronized Path file(String name) {
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("tri4j-interop-certs");
        dir.toFile().deleteOnExit();
      }
      Path file = dir.resolve(name);
      if (!Files.exists(file)) {
        try (InputStream in = TestCerts.class.getResourceAsStream("certs/" + name)) {
          if (in == null) {
            throw new IllegalStateException("certs/" + name + " is not in the interop jar");
          }
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        file.toFile().deleteOnExit();
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
