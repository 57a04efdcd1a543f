package io.tri4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** benchmark-server refuses option values it cannot serve with, before it starts anything. */
class BenchmarkServerTest {

  @Test
  void start_unknownHandlers_throwsNamingTheValues() {
    assertThatThrownBy(() -> BenchmarkServer.start(Map.of("port", "0", "handlers", "reactive")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown value 'reactive' of --handlers of benchmark-server; values: [async,"
                + " blocking]");
  }

  @Test
  void start_unknownExecutor_throwsNamingTheValues() {
    assertThatThrownBy(() -> BenchmarkServer.start(Map.of("port", "0", "executor", "pool")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown value 'pool' of --executor of benchmark-server; values: [default, forkjoin,"
                + " direct]");
  }

  @Test
  void start_blockingHandlersOnDirectExecutor_throws() {
    assertThatThrownBy(
            () ->
                BenchmarkServer.start(
                    Map.of("port", "0", "handlers", "blocking", "executor", "direct")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--handlers blocking needs threads that may block");
  }
}
