package io.tri4j.benchmarks;

import io.tri4j.internal.transport.SocketTransport;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the load cases against grpc-java's, tri4j's, Apache Dubbo's, Vert.x's and Armeria's
 * benchmark servers, a bare Netty HTTP/2 ceiling and nghttpd (the HTTP/2 ceiling outside the JVM),
 * each server and each client in its own process, with grpc-java's clients, tri4j's load client
 * (async and blocking API) and h2load, and prints a table of QPS and latency with ratios against
 * grpc-java, then the ratios that the speed targets name.
 */
final class Runner {
  /** What a case does on the wire. */
  enum Kind {
    UNARY,
    PING_PONG,
    SERVER_STREAM
  }

  /** One load shape. */
  record Case(String name, int channels, int outstanding, Kind kind, int payload) {}

  static final List<Case> CASES =
      List.of(
          new Case("unary_1x1", 1, 1, Kind.UNARY, 0),
          new Case("unary_4x64", 4, 64, Kind.UNARY, 0),
          new Case("pingpong_4x64", 4, 64, Kind.PING_PONG, 0),
          new Case("serverstream_1x4", 1, 4, Kind.SERVER_STREAM, 0),
          new Case("unary_1MiB_1x4", 1, 4, Kind.UNARY, 1024 * 1024));

  /**
   * A server under test: its command (of this jar, or a program named by {@code executable}), the
   * kinds of call it offers, and whether a run without {@code --servers} includes it.
   */
  record ServerKind(
      String name, List<String> command, Set<Kind> offers, boolean byDefault, String executable) {
    ServerKind(String name, List<String> command, Set<Kind> offers, boolean byDefault) {
      this(name, command, offers, byDefault, null);
    }

    /** Whether it answers gRPC in full (grpc-status from the call), not only HTTP/2. */
    boolean speaksGrpc() {
      return executable == null;
    }
  }

  static final List<ServerKind> SERVERS =
      List.of(
          new ServerKind("grpc-java", List.of("grpc-server"), EnumSet.allOf(Kind.class), true),
          new ServerKind(
              "tri4j",
              List.of("benchmark-server", "--executor", "forkjoin"),
              EnumSet.allOf(Kind.class),
              true),
          // tri4j as a user of dubbo-python's model writes it: blocking handlers on the server's
          // own executor (a virtual thread per call on JDK 21+, on 17 a pool that adds a thread
          // whenever all are busy).
          new ServerKind(
              "tri4j-default",
              List.of("benchmark-server", "--handlers", "blocking"),
              EnumSet.allOf(Kind.class),
              true),
          // Dubbo's server StreamObserver has no readiness signal to pace an endless stream.
          new ServerKind(
              "dubbo", List.of("dubbo-server"), EnumSet.of(Kind.UNARY, Kind.PING_PONG), true),
          new ServerKind(
              "netty-ceiling",
              List.of("netty-ceiling"),
              EnumSet.of(Kind.UNARY, Kind.PING_PONG),
              true),
          // Handlers on the network threads (the servers' "direct executor" options).
          new ServerKind(
              "grpc-java-direct",
              List.of("grpc-server", "--direct"),
              EnumSet.of(Kind.UNARY, Kind.PING_PONG),
              true),
          new ServerKind(
              "tri4j-direct",
              List.of("benchmark-server", "--executor", "direct"),
              EnumSet.of(Kind.UNARY, Kind.PING_PONG),
              true),
          // The fastest JVM peers, with their defaults; Vert.x runs handlers on the event loop.
          new ServerKind(
              "vertx", List.of("vertx-server"), EnumSet.of(Kind.UNARY, Kind.PING_PONG), true),
          new ServerKind(
              "armeria", List.of("armeria-server"), EnumSet.of(Kind.UNARY, Kind.PING_PONG), true),
          new ServerKind(
              "armeria-unsafe",
              List.of("armeria-server", "--unsafe_wrap_request_buffers"),
              EnumSet.of(Kind.UNARY, Kind.PING_PONG),
              false),
          // A C HTTP/2 server answering a fixed gRPC response: the ceiling for h2load.
          new ServerKind("nghttpd", List.of(), EnumSet.of(Kind.UNARY), true, "nghttpd"));

  static final List<String> CLIENTS =
      List.of("grpc-java", "tri4j", "tri4j-blocking", "grpc-java-blocking", H2Load.NAME);

  /** The clients that call through a blocking API, one caller thread per outstanding call. */
  private static final Set<String> BLOCKING_CLIENTS =
      Set.of("tri4j-blocking", "grpc-java-blocking");

  /**
   * One measurement; latencies are -1 where the case has none (server streaming). {@code
   * serverCpuNanos} is the server JVM's CPU time per call or message, -1 if unknown: its CPU time
   * over the whole client run (warm-up and measurement) divided by the measured rate times that
   * time, so it counts the warm-up at the measured rate.
   */
  record Result(
      String caseName,
      String server,
      String client,
      long qps,
      long p50,
      long p99,
      long serverCpuNanos) {
    Result(String caseName, String server, String client, long qps, long p50, long p99) {
      this(caseName, server, client, qps, p50, p99, -1);
    }
  }

  private final Map<String, String> flags;
  private final int duration;
  private final int warmup;
  private final int serverWarmup;
  private final int repeats;
  private final List<String> selectedCases;
  private final List<String> selectedServers;
  private final List<String> selectedClients;

  Runner(Map<String, String> flags) {
    this.flags = flags;
    duration = Integer.parseInt(flags.getOrDefault("duration", "10"));
    warmup = Integer.parseInt(flags.getOrDefault("warmup", "4"));
    serverWarmup = Integer.parseInt(flags.getOrDefault("server-warmup", "10"));
    repeats = Integer.parseInt(flags.getOrDefault("repeats", "2"));
    selectedCases = list(flags.get("cases"));
    selectedServers = list(flags.get("servers"));
    selectedClients = list(flags.get("clients"));
  }

  private static List<String> list(String value) {
    return value == null ? List.of() : Arrays.asList(value.split(","));
  }

  private static boolean selected(List<String> selection, String name) {
    return selection.isEmpty() || selection.contains(name);
  }

  /**
   * Whether {@code client} runs {@code c} against {@code server}: the blocking APIs are measured on
   * small unary calls, against tri4j's and grpc-java's servers.
   */
  static boolean runs(String client, Case c, ServerKind server) {
    if (client.equals(H2Load.NAME)) {
      return c.kind() == Kind.UNARY && (server.speaksGrpc() || c.payload() == 0);
    }
    if (!server.speaksGrpc()) {
      return false;
    }
    return !BLOCKING_CLIENTS.contains(client)
        || (c.kind() == Kind.UNARY
            && c.payload() == 0
            && (server.name().equals("tri4j") || server.name().equals("grpc-java")));
  }

  /**
   * Starts every selected server at once (idle servers cost nothing), warms each up, then measures
   * round by round: each repeat goes through every case, server and client in turn, so that a
   * change in the machine's speed during the run falls on all of them alike.
   */
  int run() throws Exception {
    List<Result> results = new ArrayList<>();
    Map<ServerKind, Integer> ports = new LinkedHashMap<>();
    Map<ServerKind, Process> serverProcesses = new LinkedHashMap<>();
    List<Process> processes = new ArrayList<>();
    List<String> clients = new ArrayList<>();
    for (String client : CLIENTS) {
      if (selected(selectedClients, client)
          && (!client.equals(H2Load.NAME)
              || H2Load.PROGRAM.usable(selectedClients.contains(client)))) {
        clients.add(client);
      }
    }
    try {
      for (ServerKind server : SERVERS) {
        if (selectedServers.isEmpty()
            ? server.byDefault() && usable(server, false)
            : selectedServers.contains(server.name()) && usable(server, true)) {
          int port = freePort();
          Process process =
              serverProcess(server, port).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
          processes.add(process);
          serverProcesses.put(server, process);
          ports.put(server, port);
        }
      }
      for (Map.Entry<ServerKind, Integer> server : ports.entrySet()) {
        awaitPort(server.getValue());
        warmUp(server.getKey(), server.getValue());
      }
      for (int r = 0; r < repeats; r++) {
        for (Case c : CASES) {
          if (!selected(selectedCases, c.name())) {
            continue;
          }
          for (Map.Entry<ServerKind, Integer> server : ports.entrySet()) {
            if (!server.getKey().offers().contains(c.kind())) {
              continue;
            }
            for (String client : clients) {
              if (runs(client, c, server.getKey())) {
                results.add(
                    measure(
                        c,
                        server.getKey().name(),
                        client,
                        server.getValue(),
                        serverProcesses.get(server.getKey())));
              }
            }
          }
        }
      }
    } finally {
      for (Process process : processes) {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    results.sort(Comparator.comparingInt((Result x) -> caseIndex(x.caseName())));
    System.out.println(table(results));
    System.out.println(targets(results));
    return 0;
  }

  private static int caseIndex(String name) {
    for (int i = 0; i < CASES.size(); i++) {
      if (CASES.get(i).name().equals(name)) {
        return i;
      }
    }
    return CASES.size();
  }

  /**
   * Brings a fresh server's JIT to its steady state before anything is measured, with grpc-java's
   * client (the same for every server): unary 4×64, then ping-pong 4×64.
   */
  private void warmUp(ServerKind server, int port) throws Exception {
    if (serverWarmup <= 0 || !server.speaksGrpc()) {
      return; // no JIT to warm up in a C server
    }
    int half = Math.max(1, serverWarmup / 2);
    List<String> unary =
        new ArrayList<>(
            List.of(
                "grpc-client",
                "--address=127.0.0.1:" + port,
                "--channels=4",
                "--outstanding_rpcs=64",
                "--duration=" + half,
                "--warmup_duration=0"));
    run(java(unary));
    if (server.offers().contains(Kind.PING_PONG)) {
      List<String> pingPong = new ArrayList<>(unary);
      pingPong.add("--streaming_rpcs");
      run(java(pingPong));
    }
  }

  private String run(ProcessBuilder builder) throws Exception {
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(duration + warmup + serverWarmup + 60L, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("client did not finish:\n" + output);
    }
    return output;
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

  /** The command line of {@code client}'s load process for case {@code c}. */
  static List<String> clientArgs(Case c, String client, int port, int duration, int warmup) {
    List<String> args = new ArrayList<>();
    if (client.equals("grpc-java")) {
      args.add(c.kind() == Kind.SERVER_STREAM ? "grpc-stream-client" : "grpc-client");
    } else {
      args.add("load-client");
    }
    args.addAll(
        List.of(
            "--address=127.0.0.1:" + port,
            "--channels=" + c.channels(),
            "--outstanding_rpcs=" + c.outstanding(),
            "--server_payload=" + c.payload(),
            "--duration=" + duration,
            "--warmup_duration=" + warmup));
    if (!(client.equals("grpc-java") && c.kind() == Kind.SERVER_STREAM)) {
      args.add("--client_payload=" + c.payload()); // a server stream's one request is empty
    }
    if (c.kind() == Kind.PING_PONG) {
      args.add("--streaming_rpcs");
    } else if (c.kind() == Kind.SERVER_STREAM && !client.equals("grpc-java")) {
      args.add("--server_streaming");
    }
    if (client.equals("tri4j-blocking")) {
      args.add("--blocking");
    } else if (client.equals("grpc-java-blocking")) {
      args.add("--grpc_blocking");
    }
    return args;
  }

  private Result measure(Case c, String server, String client, int port, Process serverProcess)
      throws Exception {
    boolean h2load = client.equals(H2Load.NAME);
    long cpuBefore = cpuNanos(serverProcess);
    String output =
        h2load
            ? run(
                new ProcessBuilder(
                    H2Load.args(c, port, duration, warmup, H2Load.requestFile(c.payload()))))
            : run(java(clientArgs(c, client, port, duration, warmup)));
    long cpuAfter = cpuNanos(serverProcess);
    // h2load gives no percentiles.
    boolean latencies = c.kind() != Kind.SERVER_STREAM && !h2load;
    long qps = h2load ? H2Load.qps(output) : number(output, "QPS:");
    long ops = qps * (warmup + duration);
    Result result =
        new Result(
            c.name(),
            server,
            client,
            qps,
            latencies ? number(output, "50%ile Latency \\(in micros\\):") : -1,
            latencies ? number(output, "99%ile Latency \\(in micros\\):") : -1,
            cpuBefore < 0 || cpuAfter < 0 || ops == 0 ? -1 : (cpuAfter - cpuBefore) / ops);
    System.err.printf(
        "%-16s server=%-13s client=%-15s qps=%8d p50=%6dus p99=%6dus server-cpu=%6dns/op%n",
        result.caseName(),
        server,
        client,
        result.qps(),
        result.p50(),
        result.p99(),
        result.serverCpuNanos());
    return result;
  }

  /** The process's CPU time so far, or -1 where the platform does not tell. */
  private static long cpuNanos(Process process) {
    return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
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
    Map<String, List<Result>> groups = groups(results);
    StringBuilder out = new StringBuilder();
    out.append(
        "| case | server | client | QPS (median) | QPS runs | p50 µs | p99 µs | server CPU ns/op"
            + " | QPS vs grpc-java server |\n");
    out.append("|---|---|---|---:|---|---:|---:|---:|---:|\n");
    for (List<Result> runs : groups.values()) {
      Result first = runs.get(0);
      long qps = medianQps(runs);
      long baseline = medianQps(groups.get(key(first.caseName(), "grpc-java", first.client())));
      String ratio = baseline <= 0 ? "" : ratio(qps, baseline);
      StringBuilder spread = new StringBuilder();
      for (Result r : runs) {
        spread.append(spread.length() == 0 ? "" : ", ").append(r.qps());
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %s | %s | %s | %s | %s |%n",
              first.caseName(),
              first.server(),
              first.client(),
              qps,
              spread,
              orDash(median(runs.stream().mapToLong(Result::p50).toArray())),
              orDash(median(runs.stream().mapToLong(Result::p99).toArray())),
              orDash(median(runs.stream().mapToLong(Result::serverCpuNanos).toArray())),
              ratio));
    }
    return out.toString();
  }

  /**
   * The ratios the speed targets (issues 4 and 16) are stated in, from the medians: tri4j's server
   * against grpc-java's, Dubbo's and Vert.x's (grpc-java's client or h2load driving), tri4j's
   * client against grpc-java's (grpc-java's server), against the Netty ceiling and nghttpd, and the
   * blocking API against the async API.
   */
  static String targets(List<Result> results) {
    Map<String, List<Result>> groups = groups(results);
    StringBuilder out = new StringBuilder("Ratios (medians):\n");
    for (Case c : CASES) {
      for (Comparison k : COMPARISONS) {
        compare(
            out,
            groups,
            c.name() + ": " + k.label(),
            key(c.name(), k.server(), k.client()),
            key(c.name(), k.baseServer(), k.baseClient()),
            k.withP99());
      }
    }
    return out.toString();
  }

  /** One ratio: server and client measured against a baseline server and client. */
  private record Comparison(
      String label,
      String server,
      String client,
      String baseServer,
      String baseClient,
      boolean withP99) {}

  private static final List<Comparison> COMPARISONS =
      List.of(
          new Comparison(
              "tri4j server / grpc-java server (grpc-java client)",
              "tri4j",
              "grpc-java",
              "grpc-java",
              "grpc-java",
              true),
          new Comparison(
              "tri4j server / Dubbo server (grpc-java client)",
              "tri4j",
              "grpc-java",
              "dubbo",
              "grpc-java",
              false),
          new Comparison(
              "tri4j client / grpc-java client (grpc-java server)",
              "grpc-java",
              "tri4j",
              "grpc-java",
              "grpc-java",
              false),
          new Comparison(
              "tri4j server / Netty ceiling (grpc-java client)",
              "tri4j",
              "grpc-java",
              "netty-ceiling",
              "grpc-java",
              false),
          new Comparison(
              "tri4j server / Netty ceiling (tri4j client)",
              "tri4j",
              "tri4j",
              "netty-ceiling",
              "tri4j",
              false),
          new Comparison(
              "tri4j-direct server / grpc-java-direct server (grpc-java client)",
              "tri4j-direct",
              "grpc-java",
              "grpc-java-direct",
              "grpc-java",
              true),
          new Comparison(
              "tri4j-direct server / Vert.x server (grpc-java client)",
              "tri4j-direct",
              "grpc-java",
              "vertx",
              "grpc-java",
              true),
          new Comparison(
              "tri4j-direct server / Vert.x server (h2load)",
              "tri4j-direct",
              H2Load.NAME,
              "vertx",
              H2Load.NAME,
              false),
          new Comparison(
              "tri4j-default server / Vert.x server (grpc-java client)",
              "tri4j-default",
              "grpc-java",
              "vertx",
              "grpc-java",
              true),
          new Comparison(
              "tri4j-default server / Vert.x server (h2load)",
              "tri4j-default",
              H2Load.NAME,
              "vertx",
              H2Load.NAME,
              false),
          new Comparison(
              "tri4j server / Vert.x server (grpc-java client)",
              "tri4j",
              "grpc-java",
              "vertx",
              "grpc-java",
              false),
          new Comparison(
              "tri4j-direct server / Netty ceiling (grpc-java client)",
              "tri4j-direct",
              "grpc-java",
              "netty-ceiling",
              "grpc-java",
              false),
          new Comparison(
              "tri4j-direct server / Netty ceiling (h2load)",
              "tri4j-direct",
              H2Load.NAME,
              "netty-ceiling",
              H2Load.NAME,
              false),
          new Comparison(
              "tri4j server / nghttpd (h2load)",
              "tri4j",
              H2Load.NAME,
              "nghttpd",
              H2Load.NAME,
              false),
          new Comparison(
              "tri4j-direct server / nghttpd (h2load)",
              "tri4j-direct",
              H2Load.NAME,
              "nghttpd",
              H2Load.NAME,
              false),
          new Comparison(
              "tri4j blocking / tri4j async client (tri4j server)",
              "tri4j",
              "tri4j-blocking",
              "tri4j",
              "tri4j",
              false),
          new Comparison(
              "grpc-java blocking / grpc-java async client (grpc-java server)",
              "grpc-java",
              "grpc-java-blocking",
              "grpc-java",
              "grpc-java",
              false),
          new Comparison(
              "tri4j blocking client / grpc-java blocking client (grpc-java server)",
              "grpc-java",
              "tri4j-blocking",
              "grpc-java",
              "grpc-java-blocking",
              false));

  private static void compare(
      StringBuilder out,
      Map<String, List<Result>> groups,
      String label,
      String key,
      String baselineKey,
      boolean withP99) {
    List<Result> runs = groups.get(key);
    List<Result> baseline = groups.get(baselineKey);
    if (runs == null || baseline == null) {
      return;
    }
    out.append("  ").append(label).append(": ").append(ratio(medianQps(runs), medianQps(baseline)));
    long p99 = median(runs.stream().mapToLong(Result::p99).toArray());
    long baselineP99 = median(baseline.stream().mapToLong(Result::p99).toArray());
    if (withP99 && p99 >= 0) {
      out.append(String.format(Locale.ROOT, " (p99 %d vs %d µs)", p99, baselineP99));
    }
    out.append('\n');
  }

  private static Map<String, List<Result>> groups(List<Result> results) {
    Map<String, List<Result>> groups = new LinkedHashMap<>();
    for (Result r : results) {
      groups
          .computeIfAbsent(key(r.caseName(), r.server(), r.client()), k -> new ArrayList<>())
          .add(r);
    }
    return groups;
  }

  private static String key(String caseName, String server, String client) {
    return caseName + "|" + server + "|" + client;
  }

  private static long medianQps(List<Result> runs) {
    return runs == null ? -1 : median(runs.stream().mapToLong(Result::qps).toArray());
  }

  private static String ratio(long value, long baseline) {
    return String.format(Locale.ROOT, "%.2f", (double) value / baseline);
  }

  private static String orDash(long value) {
    return value < 0 ? "–" : Long.toString(value);
  }

  /** The median; for an even count, the mean of the two middle values. */
  static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** Whether {@code server} can run here; see {@link ExternalProgram#usable}. */
  private static boolean usable(ServerKind server, boolean named) {
    return server.speaksGrpc() || Nghttpd.PROGRAM.usable(named);
  }

  /** The process of {@code server} listening on {@code port}. */
  private static ProcessBuilder serverProcess(ServerKind server, int port) throws Exception {
    if (!server.speaksGrpc()) {
      return new ProcessBuilder(Nghttpd.args(port, Nghttpd.responseDirectory()))
          .redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    List<String> args = new ArrayList<>(server.command());
    args.add("--port");
    args.add(Integer.toString(port));
    return java(args);
  }

  private static ProcessBuilder java(List<String> args) {
    return java("-Xmx1g", args);
  }

  private static ProcessBuilder java(String xmx, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(xmx);
    String transport = System.getProperty(SocketTransport.PROPERTY);
    if (transport != null) {
      command.add("-D" + SocketTransport.PROPERTY + "=" + transport); // tri4j's servers and clients
    }
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

  static void awaitPort(int port) throws InterruptedException {
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
