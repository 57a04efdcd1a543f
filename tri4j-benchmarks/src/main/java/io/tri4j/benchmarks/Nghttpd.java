package io.tri4j.benchmarks;

import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nghttp2's nghttpd, a C HTTP/2 server, answering every {@code UnaryCall} with a fixed file: the
 * response grpc-java's server gives to an empty request, then {@code grpc-status: 0} as a trailer.
 * No application work and no gRPC parsing: the HTTP/2 ceiling for h2load.
 */
final class Nghttpd {
  static final ExternalProgram PROGRAM = new ExternalProgram("nghttpd", "nghttp2-server");

  private Nghttpd() {}

  /** nghttpd's command line: plaintext HTTP/2 on loopback {@code port}, files from {@code root}. */
  static List<String> args(int port, Path root) {
    return List.of(
        PROGRAM.name(),
        "--no-tls",
        "--address=127.0.0.1",
        "--htdocs=" + root,
        "--trailer=grpc-status: 0",
        Integer.toString(port));
  }

  /** A directory holding the response at the path of {@code UnaryCall}; gone when the JVM exits. */
  static Path responseDirectory() throws java.io.IOException {
    Path root = Files.createTempDirectory("tri4j-nghttpd-");
    Path service = Files.createDirectory(root.resolve(BenchmarkService.NAME));
    Path call = service.resolve("UnaryCall");
    Files.write(
        call, H2Load.frame(Utils.makeResponse(SimpleRequest.getDefaultInstance()).toByteArray()));
    for (Path p : List.of(call, service, root)) {
      p.toFile().deleteOnExit();
    }
    return root;
  }
}
