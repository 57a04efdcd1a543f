package io.tri4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import org.junit.jupiter.api.Test;

/**
 * The grpc-java yardstick answers as the benchmark service does, and its server's threads carry the
 * name the per-side allocation profiler counts as the server's.
 */
class GrpcJavaUnaryCallBenchmarkTest {
  @Test
  void bothStubsGetTheResponseAndTheServersThreadsAreNamedForTheProfiler() throws Exception {
    GrpcJavaUnaryCallBenchmark benchmark = new GrpcJavaUnaryCallBenchmark();
    benchmark.setUp();
    try {
      SimpleResponse blocking = benchmark.grpcJavaBlocking();
      SimpleResponse async = benchmark.grpcJavaAsync();

      assertThat(blocking.getPayload().getBody().size()).isEqualTo(64);
      assertThat(async).isEqualTo(blocking);
      assertThat(Thread.getAllStackTraces().keySet())
          .map(Thread::getName)
          .anyMatch(
              name ->
                  name.startsWith(
                      AllocationBySideProfiler.PEER_SERVER_THREADS + "grpc-java-worker"))
          .anyMatch(
              name ->
                  name.startsWith(
                      AllocationBySideProfiler.PEER_SERVER_THREADS + "grpc-java-handler"));
    } finally {
      benchmark.tearDown();
    }
  }
}
