package io.tri4j.benchmarks;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the load cases against tri4j's and grpc-java's benchmark servers, each server and each
 * client in its own JVM, with grpc-java's AsyncClient and tri4j's load client, and prints a table
 * of QPS and latency with ratios against grpc-java.
 */
final class Runner {
  /** One load shape. */
  record Case(String name, int channels, int outstanding, boolean streaming, int payload) {}

  static final List<Case> CASES =
      List.of(
          new Case("unary_1x1", 1, 1, false, 0),
          new Case("unary_4x64", 4, 64, false, 0),
          new Case("pingpong_4x64", 4, 64, true, 0),
          new Case("unary_1MiB_1x4", 1, 4, false, 1024 * 1024));

  /** One measurement. */
  record Result(String caseName, String server, String client, long qps, long p50, long p99) {}

  private final Map<String, String> flags;
  private final int duration;
  private final int warmup;
  private final int repeats;
  private final List<String> selected;

  Runner(Map<String, String> flags) {
    this.flags = flags;
    duration = Integer.parseInt(flags.getOrDefault("duration", "10"));
    warmup = Integer.parseInt(flags.getOrDefault("warmup", "4"));
    repeats = Integer.parseInt(flags.getOrDefault("repeats", "2"));
    selected =
        flags.containsKey("cases") ? Arrays.asList(flags.get("cases").split(",")) : List.of();
  }

  int run() throws Exception {
    List<Result> results = new ArrayList<>();
    Map<String, String[]> servers = new LinkedHashMap<>();
    servers.put("grpc-java", new String[] {"grpc-server"});
    servers.put("tri4j", new String[] {"benchmark-server", "--executor", "forkjoin"});
    for (Map.Entry<String, String[]> server : servers.entrySet()) {
      int port = freePort();
      List<String> serverArgs = new ArrayList<>(Arrays.asList(server.getValue()));
      serverArgs.add("--port");
      serverArgs.add(Integer.toString(port));
      Process process = java(serverArgs).start();
      try {
        awaitPort(port);
        for (Case c : CASES) {
          if (!selected.isEmpty() && !selected.contains(c.name())) {
            continue;
          }
          for (int r = 0; r < repeats; r++) {
            results.add(measure(c, server.getKey(), "grpc-java", port));
            results.add(measure(c, server.getKey(), "tri4j", port));
            if (!c.streaming() && c.payload() == 0) {
              results.add(measure(c, server.getKey(), "tri4j-blocking", port));
            }
          }
        }
      } finally {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    System.out.println(table(results));
    return 0;
  }

  /**
   * A tri4j server streaming {@code --gib} GiB (default 10) to a tri4j client that sleeps between
   * reads, both JVMs limited to {@code --xmx} of heap (default 64m).
   */
  int heapRun() throws Exception {
    String xmx = "-Xmx" + flags.getOrDefault("xmx", "64m");
    int port = freePort();
    Process server =
        java(xmx, List.of("benchmark-server", "--port", Integer.toString(port))).start();
    try {
      awaitPort(port);
      Process client =
          java(
                  xmx,
                  List.of(
                      "slow-reader",
                      "--address=127.0.0.1:" + port,
                      "--gib=" + flags.getOrDefault("gib", "10")))
              .redirectErrorStream(true)
              .start();
      String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      client.waitFor(30, TimeUnit.MINUTES);
      System.out.println("client (" + xmx + "): " + output.trim());
      return client.exitValue();
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Result measure(Case c, String server, String client, int port) throws Exception {
    List<String> args = new ArrayList<>();
    args.add(client.equals("grpc-java") ? "grpc-client" : "load-client");
    args.addAll(
        List.of(
            "--address=127.0.0.1:" + port,
            "--channels=" + c.channels(),
            "--outstanding_rpcs=" + c.outstanding(),
            "--client_payload=" + c.payload(),
            "--server_payload=" + c.payload(),
            "--duration=" + duration,
            "--warmup_duration=" + warmup));
    if (c.streaming()) {
      args.add("--streaming_rpcs");
    }
    if (client.equals("tri4j-blocking")) {
      args.add("--blocking");
    }
    Process process = java(args).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(duration + warmup + 60L, TimeUnit.SECONDS);
    Result result =
        new Result(
            c.name(),
            server,
            client,
            number(output, "QPS:"),
            number(output, "50%ile Latency \\(in micros\\):"),
            number(output, "99%ile Latency \\(in micros\\):"));
    System.err.printf(
        "%-16s server=%-10s client=%-15s qps=%8d p50=%6dus p99=%6dus%n",
        result.caseName(), server, client, result.qps(), result.p50(), result.p99());
    return result;
  }

  private static long number(String output, String label) {
    Matcher m = Pattern.compile(label + "\\s+(\\d+)").matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("no '" + label + "' in client output:\n" + output);
    }
    return Long.parseLong(m.group(1));
  }

  /** Markdown: one row per case, server and client, the median of the repeats and their spread. */
  static String table(List<Result> results) {
    Map<String, List<Result>> groups = new LinkedHashMap<>();
    for (Result r : results) {
      groups
          .computeIfAbsent(
              r.caseName() + "|" + r.server() + "|" + r.client(), k -> new ArrayList<>())
          .add(r);
    }
    StringBuilder out = new StringBuilder();
    out.append(
        "| case | server | client | QPS (median) | QPS runs | p50 µs | p99 µs | QPS vs grpc-java server |\n");
    out.append("|---|---|---|---:|---|---:|---:|---:|\n");
    for (Map.Entry<String, List<Result>> g : groups.entrySet()) {
      List<Result> runs = g.getValue();
      Result first = runs.get(0);
      long qps = median(runs.stream().mapToLong(Result::qps).toArray());
      long p50 = median(runs.stream().mapToLong(Result::p50).toArray());
      long p99 = median(runs.stream().mapToLong(Result::p99).toArray());
      List<Result> baseline =
          groups.getOrDefault(first.caseName() + "|grpc-java|" + first.client(), List.of());
      String ratio =
          baseline.isEmpty()
              ? ""
              : String.format(
                  Locale.ROOT,
                  "%.2f",
                  (double) qps / median(baseline.stream().mapToLong(Result::qps).toArray()));
      StringBuilder spread = new StringBuilder();
      for (Result r : runs) {
        spread.append(spread.length() == 0 ? "" : ", ").append(r.qps());
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %s | %d | %d | %s |%n",
              first.caseName(),
              first.server(),
              first.client(),
              qps,
              spread,
              p50,
              p99,
              ratio));
    }
    return out.toString();
  }

  /** The median; for an even count, the mean of the two middle values. */
  static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static ProcessBuilder java(List<String> args) {
    return java("-Xmx1g", args);
  }

  private static ProcessBuilder java(String xmx, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(xmx);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitPort(int port) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        if (s.isConnected()) {
          return;
        }
      } catch (java.io.IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("server on port " + port + " did not start");
  }
}
