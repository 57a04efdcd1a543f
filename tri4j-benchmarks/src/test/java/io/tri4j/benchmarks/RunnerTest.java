package io.tri4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerTest {

  /** Every load process the runner starts takes the options it is given (they refuse others). */
  @Test
  void clientCommandLines_useOnlyOptionsTheirCommandKnows() {
    int checked = 0;
    for (Runner.Case c : Runner.CASES) {
      for (String client : Runner.CLIENTS) {
        if (client.equals(H2Load.NAME)) {
          continue; // not this jar's
        }
        List<String> args = Runner.clientArgs(c, client, 50061, 5, 2);
        List<String> known = Main.OPTIONS.get(args.get(0));
        assertThat(known).as("command %s", args.get(0)).isNotNull();
        for (String option : args.subList(1, args.size())) {
          int eq = option.indexOf('=');
          String name = option.substring(2, eq < 0 ? option.length() : eq);
          assertThat(known).as("%s for %s, %s", args.get(0), c.name(), client).contains(name);
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(Runner.CASES.size() * (Runner.CLIENTS.size() - 1));
  }

  /** Every server command the runner starts in this jar takes --port. */
  @Test
  void serverCommands_areCommandsOfThisJarTakingAPort() {
    for (Runner.ServerKind server : Runner.SERVERS) {
      if (server.speaksGrpc()) {
        List<String> known = Main.OPTIONS.get(server.command().get(0));
        assertThat(known).as(server.name()).contains("port");
        for (String option : server.command().subList(1, server.command().size())) {
          if (option.startsWith("--")) {
            assertThat(known).as(server.name()).contains(option.substring(2));
          }
        }
      }
    }
  }

  /** tri4j's server out of the box: blocking handlers, no executor of the benchmark's own. */
  @Test
  void tri4jDefault_runsBlockingHandlersOnTheServersOwnExecutorInEveryCase() {
    Runner.ServerKind server = server("tri4j-default");
    List<String> command = server.command();
    Map<String, String> flags =
        Main.flags(command.subList(1, command.size()).toArray(new String[0]));
    assertThat(command.get(0)).isEqualTo("benchmark-server");
    assertThat(BenchmarkServer.handlers(flags)).isEqualTo(BenchmarkServer.Handlers.BLOCKING);
    assertThat(BenchmarkServer.options(flags).executor()).isNull();
    assertThat(server.offers()).containsExactlyInAnyOrder(Runner.Kind.values());
    assertThat(server.byDefault()).isTrue();
  }

  @Test
  void targets_tri4jDefaultAndVertxAtUnary4x64_printsIssue16sRatios() {
    List<Runner.Result> results = new ArrayList<>();
    for (long qps : new long[] {900, 1000, 1100}) {
      results.add(new Runner.Result("unary_4x64", "tri4j-default", "grpc-java", qps, 10, 40));
      results.add(new Runner.Result("unary_4x64", "vertx", "grpc-java", 800, 10, 50));
      results.add(new Runner.Result("unary_4x64", "tri4j-default", H2Load.NAME, qps * 2, -1, -1));
      results.add(new Runner.Result("unary_4x64", "vertx", H2Load.NAME, 4000, -1, -1));
    }
    assertThat(Runner.targets(results))
        .contains(
            "unary_4x64: tri4j-default server / Vert.x server (grpc-java client): 1.25 (p99 40 vs"
                + " 50 µs)\n",
            "unary_4x64: tri4j-default server / Vert.x server (h2load): 0.50\n");
  }

  @Test
  void runs_h2load_onlyUnaryAndNghttpdOnlyWithH2load() {
    Runner.ServerKind nghttpd = server("nghttpd");
    Runner.ServerKind vertx = server("vertx");
    Runner.Case unary = Runner.CASES.get(1);
    Runner.Case pingPong = Runner.CASES.get(2);
    Runner.Case big = Runner.CASES.get(4);
    assertThat(Runner.runs(H2Load.NAME, unary, vertx)).isTrue();
    assertThat(Runner.runs(H2Load.NAME, pingPong, vertx)).isFalse();
    assertThat(Runner.runs(H2Load.NAME, unary, nghttpd)).isTrue();
    assertThat(Runner.runs(H2Load.NAME, big, nghttpd)).as("a fixed empty response").isFalse();
    assertThat(Runner.runs("grpc-java", unary, nghttpd)).isFalse();
    assertThat(Runner.runs("grpc-java", pingPong, vertx)).isTrue();
  }

  @Test
  void h2loadQps_allSucceeded_readsTheRate() {
    String output =
        "finished in 4.00s, 25920.50 req/s, 1.06MB/s\n"
            + "requests: 77760 total, 77760 started, 77760 done, 77760 succeeded, 0 failed\n";
    assertThat(H2Load.qps(output)).isEqualTo(25921);
  }

  @Test
  void h2loadQps_runUnderOneSecond_readsTheRateAfterMilliseconds() {
    String output =
        "finished in 998.35ms, 122652.00 req/s, 5.03MB/s\n"
            + "requests: 122652 total, 122660 started, 122652 done, 122652 succeeded, 0 failed\n";
    assertThat(H2Load.qps(output)).isEqualTo(122652);
  }

  @Test
  void h2loadQps_failedRequests_throwsWithTheOutput() {
    String output =
        "finished in 4.00s, 25920.50 req/s, 1.06MB/s\n"
            + "requests: 100 total, 100 started, 100 done, 0 succeeded, 100 failed\n";
    assertThatThrownBy(() -> H2Load.qps(output))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("0 of 100 h2load requests succeeded");
  }

  @Test
  void h2loadArgs_postThePreEncodedRequestToUnaryCall() {
    List<String> args =
        H2Load.args(Runner.CASES.get(1), 50061, 10, 4, java.nio.file.Path.of("request.bin"));
    assertThat(args)
        .contains(
            "--clients=4",
            "--max-concurrent-streams=64",
            "--data=request.bin",
            "--header=content-type: application/grpc",
            "http://127.0.0.1:50061/grpc.testing.BenchmarkService/UnaryCall");
  }

  @Test
  void externalProgram_missing_saysHowToInstallIt() {
    ExternalProgram missing = new ExternalProgram("tri4j-no-such-program", "tri4j-pkg");
    assertThat(missing.installed()).isFalse();
    assertThatThrownBy(() -> missing.usable(true))
        .hasMessage(
            "tri4j-no-such-program is not on the PATH: install it with `apt-get install"
                + " tri4j-pkg` (Debian, Ubuntu)");
  }

  private static Runner.ServerKind server(String name) {
    return Runner.SERVERS.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
