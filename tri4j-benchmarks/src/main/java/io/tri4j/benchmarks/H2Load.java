package io.tri4j.benchmarks;

import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.Messages;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nghttp2's h2load as a gRPC client, language-neutral beside grpc-java's: it posts one pre-encoded
 * {@code UnaryCall} request over and over. It checks HTTP statuses only, not {@code grpc-status}:
 * the runner's tests check that every server answers the request correctly.
 */
final class H2Load {
  static final String NAME = "h2load";
  static final ExternalProgram PROGRAM = new ExternalProgram(NAME, "nghttp2-client");

  private static final Pattern REQUESTS =
      Pattern.compile("requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded");

  /** h2load writes the duration in the unit that suits it: "4.00s", "998.35ms", "950us". */
  private static final Pattern RATE =
      Pattern.compile("finished in [\\d.]+(?:s|ms|us), ([\\d.]+) req/s");

  private H2Load() {}

  /** h2load's command line for the unary case {@code c} with the request in {@code request}. */
  static List<String> args(Runner.Case c, int port, int duration, int warmup, Path request) {
    return List.of(
        NAME,
        "--clients=" + c.channels(),
        "--max-concurrent-streams=" + c.outstanding(),
        "--duration=" + duration,
        "--warm-up-time=" + warmup,
        "--data=" + request,
        "--header=content-type: application/grpc",
        "--header=te: trailers",
        "http://127.0.0.1:" + port + "/" + BenchmarkService.NAME + "/UnaryCall");
  }

  /**
   * A file holding the gRPC-framed request of grpc-java's benchmark client for a payload of {@code
   * payload} bytes each way; deleted when the JVM exits.
   */
  static Path requestFile(int payload) throws java.io.IOException {
    Path file = Files.createTempFile("tri4j-h2load-request-", ".bin");
    file.toFile().deleteOnExit();
    Files.write(
        file,
        frame(
            Utils.makeRequest(Messages.PayloadType.COMPRESSABLE, payload, payload).toByteArray()));
    return file;
  }

  /** {@code message} behind gRPC's five-byte prefix (not compressed, its length). */
  static byte[] frame(byte[] message) {
    return ByteBuffer.allocate(5 + message.length)
        .put((byte) 0)
        .putInt(message.length)
        .put(message)
        .array();
  }

  /**
   * The requests per second h2load measured.
   *
   * @throws IllegalStateException if a request failed or none succeeded, with h2load's output
   */
  static long qps(String output) {
    Matcher requests = REQUESTS.matcher(output);
    Matcher rate = RATE.matcher(output);
    if (!requests.find() || !rate.find()) {
      throw new IllegalStateException("no request counts in h2load's output:\n" + output);
    }
    long done = Long.parseLong(requests.group(3));
    long succeeded = Long.parseLong(requests.group(4));
    if (succeeded == 0 || succeeded != done) {
      throw new IllegalStateException(
          succeeded + " of " + done + " h2load requests succeeded:\n" + output);
    }
    return Math.round(Double.parseDouble(rate.group(1)));
  }
}
