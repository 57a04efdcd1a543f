package io.tri4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import org.junit.jupiter.api.Test;

/** Every client and transport the unary benchmark measures gets the benchmark service's answer. */
class UnaryCallBenchmarkTest {
  @Test
  void everyBenchmarkMethodGetsTheResponse() throws Exception {
    UnaryCallBenchmark benchmark = new UnaryCallBenchmark();
    benchmark.setUp();
    try {
      SimpleResponse expected = benchmark.tri4jBlocking();

      assertThat(expected.getPayload().getBody().size()).isEqualTo(64);
      assertThat(benchmark.tri4jAsync()).isEqualTo(expected);
      assertThat(benchmark.tri4jAsyncToBlockingHandler()).isEqualTo(expected);
      assertThat(benchmark.tri4jBlockingInMemory()).isEqualTo(expected);
      assertThat(benchmark.tri4jAsyncInMemory()).isEqualTo(expected);
      assertThat(benchmark.grpcJavaClient()).isEqualTo(expected);
    } finally {
      benchmark.tearDown();
    }
  }
}
