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
                new Runner.Result("unary", "grpc-java", "grpc-java", 100, 10, 20, 3000),
                new Runner.Result("unary", "grpc-java", "grpc-java", 120, 12, 22, 5000),
                new Runner.Result("unary", "tri4j", "grpc-java", 150, 9, 19, 2000),
                new Runner.Result("unary", "tri4j", "grpc-java", 180, 8, 18, 2200)));
    assertThat(table)
        .contains("| unary | grpc-java | grpc-java | 110 | 100, 120 | 11 | 21 | 4000 | 1.00 |")
        .contains("| unary | tri4j | grpc-java | 165 | 150, 180 | 8 | 18 | 2100 | 1.50 |");
  }

  @Test
  void targets_givesTheRatiosTheIssueNames() {
    List<Runner.Result> results =
        List.of(
            new Runner.Result("unary_1x1", "grpc-java", "grpc-java", 100, 10, 40),
            new Runner.Result("unary_1x1", "tri4j", "grpc-java", 130, 9, 30),
            new Runner.Result("unary_1x1", "dubbo", "grpc-java", 20, 50, 90),
            new Runner.Result("unary_1x1", "tri4j", "tri4j", 150, 8, 20),
            new Runner.Result("unary_1x1", "tri4j", "tri4j-blocking", 135, 8, 20),
            new Runner.Result("unary_1x1", "grpc-java", "grpc-java-blocking", 80, 12, 50),
            new Runner.Result("unary_1x1", "grpc-java", "tri4j-blocking", 120, 9, 30),
            new Runner.Result("unary_1MiB_1x4", "tri4j", "grpc-java", 90, 9, 30),
            new Runner.Result("unary_1MiB_1x4", "netty-ceiling", "grpc-java", 100, 9, 30),
            new Runner.Result("serverstream_1x4", "tri4j", "grpc-java", 5000, -1, -1));
    String targets = Runner.targets(results);
    assertThat(targets)
        .contains(
            "unary_1x1: tri4j server / grpc-java server (grpc-java client): 1.30 (p99 30 vs 40 µs)")
        .contains("unary_1x1: tri4j server / Dubbo server (grpc-java client): 6.50")
        .contains("unary_1x1: tri4j blocking / tri4j async client (tri4j server): 0.90")
        .contains("unary_1x1: grpc-java blocking / grpc-java async client (grpc-java server): 0.80")
        .contains(
            "unary_1x1: tri4j blocking client / grpc-java blocking client (grpc-java server): 1.50")
        .contains("unary_1MiB_1x4: tri4j server / Netty ceiling (grpc-java client): 0.90")
        .doesNotContain("serverstream_1x4");
    assertThat(Runner.table(results))
        .contains("| serverstream_1x4 | tri4j | grpc-java | 5000 | 5000 | – | – | – |  |");
  }

  @Test
  void blockingClients_onlyOnSmallUnaryCases_againstTri4jAndGrpcJava() {
    for (Runner.Case c : Runner.CASES) {
      boolean small = c.kind() == Runner.Kind.UNARY && c.payload() == 0;
      for (String blocking : List.of("tri4j-blocking", "grpc-java-blocking")) {
        assertThat(Runner.runs(blocking, c, "tri4j")).as(c.name()).isEqualTo(small);
        assertThat(Runner.runs(blocking, c, "grpc-java")).as(c.name()).isEqualTo(small);
        assertThat(Runner.runs(blocking, c, "dubbo")).as(c.name()).isFalse();
      }
      assertThat(Runner.runs("tri4j", c, "dubbo")).isTrue();
    }
  }

  @Test
  void directExecutorServers_runOnlyWhenNamed() {
    assertThat(
            Runner.SERVERS.stream()
                .filter(Runner.ServerKind::byDefault)
                .map(Runner.ServerKind::name))
        .containsExactly("grpc-java", "tri4j", "dubbo", "netty-ceiling");
    assertThat(Runner.SERVERS.stream().map(Runner.ServerKind::name))
        .contains("grpc-java-direct", "tri4j-direct");
  }
}
