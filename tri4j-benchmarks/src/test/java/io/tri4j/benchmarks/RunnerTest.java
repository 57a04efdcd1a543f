package io.tri4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerTest {
  @Test
  void median_oddAndEvenCounts() {
    assertThat(Runner.median(new long[] {5, 1, 3})).isEqualTo(3);
    assertThat(Runner.median(new long[] {4, 2})).isEqualTo(3);
  }

  @Test
  void table_comparesEachServerWithGrpcJavaForTheSameClient() {
    String table =
        Runner.table(
            List.of(
                new Runner.Result("unary", "grpc-java", "grpc-java", 100, 10, 20),
                new Runner.Result("unary", "grpc-java", "grpc-java", 120, 12, 22),
                new Runner.Result("unary", "tri4j", "grpc-java", 150, 9, 19),
                new Runner.Result("unary", "tri4j", "grpc-java", 180, 8, 18)));
    assertThat(table)
        .contains("| unary | grpc-java | grpc-java | 110 | 100, 120 | 11 | 21 | 1.00 |")
        .contains("| unary | tri4j | grpc-java | 165 | 150, 180 | 8 | 18 | 1.50 |");
  }
}
