package io.tri4j.interop;

import io.grpc.testing.TlsTesting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * gRPC's published test certificates (grpc-testing's {@code certs/}: a CA, {@code server1} for
 * {@code *.test.google.fr}, and {@code client}), copied from the artifact to files at test time.
 */
final class GrpcTestCerts {
  /** A name server1's certificate carries: what clients dialling 127.0.0.1 check instead. */
  static final String SERVER_HOST_OVERRIDE = "foo.test.google.fr";

  private static Path dir;

  private GrpcTestCerts() {}

  /** The file holding grpc-testing's {@code certs/name}. */
  static synchronized Path file(String name) {
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("grpc-test-certs");
        dir.toFile().deleteOnExit();
      }
      Path file = dir.resolve(name);
      if (!Files.exists(file)) {
        try (InputStream in = TlsTesting.loadCert(name)) {
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
