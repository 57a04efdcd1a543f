package io.tri4j.benchmarks;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The benchmarks jar's command line.
 *
 * <pre>
 * java -jar tri4j-benchmarks.jar run [--duration S] [--warmup S] [--repeats N] [--cases a,b]
 * java -jar tri4j-benchmarks.jar benchmark-server --port N [--executor default|forkjoin|direct]
 *     [--handlers async|blocking]
 * java -jar tri4j-benchmarks.jar grpc-server --port N [--direct] grpc-java's AsyncServer
 * java -jar tri4j-benchmarks.jar dubbo-server --port N         Apache Dubbo 3.3's Triple server
 * java -jar tri4j-benchmarks.jar netty-ceiling --port N        bare Netty HTTP/2: the ceiling
 * java -jar tri4j-benchmarks.jar vertx-server --port N         Vert.x gRPC, a verticle per core
 * java -jar tri4j-benchmarks.jar armeria-server --port N [--unsafe_wrap_request_buffers]
 * java -jar tri4j-benchmarks.jar load-client --address H:P [--channels C] [--outstanding_rpcs O]
 *     [--streaming_rpcs | --server_streaming] [--blocking | --grpc_blocking] [--duration S]
 *     [--warmup_duration S]
 * java -jar tri4j-benchmarks.jar grpc-client --address=H:P ...  grpc-java's AsyncClient
 * java -jar tri4j-benchmarks.jar grpc-stream-client --address=H:P ...  grpc-java, server streaming
 * java -jar tri4j-benchmarks.jar jmh [JMH options]             the micro-benchmarks
 * java -jar tri4j-benchmarks.jar heap-run [--gib N] [--xmx 64m] a slow reader of an N GiB stream
 * </pre>
 */
public final class Main {
  private static final java.util.logging.Logger GRPC_NETTY_LOG =
      java.util.logging.Logger.getLogger("io.grpc.netty.NettyServerHandler");

  /** Each command's options (without {@code --}); jmh passes its own on to JMH. */
  static final Map<String, List<String>> OPTIONS =
      Map.ofEntries(
          Map.entry(
              "run",
              List.of(
                  "duration", "warmup", "server-warmup", "repeats", "cases", "servers", "clients")),
          Map.entry("benchmark-server", List.of("port", "executor", "handlers")),
          Map.entry("grpc-server", List.of("port", "direct")),
          Map.entry("dubbo-server", List.of("port")),
          Map.entry("netty-ceiling", List.of("port")),
          Map.entry("vertx-server", List.of("port")),
          Map.entry("armeria-server", List.of("port", "unsafe_wrap_request_buffers")),
          Map.entry(
              "load-client",
              List.of(
                  "address",
                  "channels",
                  "outstanding_rpcs",
                  "client_payload",
                  "server_payload",
                  "streaming_rpcs",
                  "server_streaming",
                  "blocking",
                  "grpc_blocking",
                  "duration",
                  "warmup_duration")),
          Map.entry(
              "grpc-stream-client",
              List.of(
                  "address",
                  "channels",
                  "outstanding_rpcs",
                  "server_payload",
                  "duration",
                  "warmup_duration")),
          Map.entry("slow-reader", List.of("address", "gib", "message", "sleep_every")),
          // grpc-java's AsyncClient only prints its usage for an option it does not know.
          Map.entry(
              "grpc-client",
              List.of(
                  "address",
                  "channels",
                  "outstanding_rpcs",
                  "client_payload",
                  "server_payload",
                  "tls",
                  "testca",
                  "transport",
                  "duration",
                  "warmup_duration",
                  "directexecutor",
                  "save_histogram",
                  "streaming_rpcs",
                  "flow_control_window")),
          Map.entry("heap-run", List.of("gib", "xmx")));

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      usage(args.length == 0 ? System.err : System.out, args.length == 0 ? 2 : 0);
    }
    List<String> known = OPTIONS.get(args[0]);
    if (known != null) {
      if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
        System.out.println("java -jar tri4j-benchmarks.jar " + args[0] + " options: " + known);
        System.exit(0);
      }
      for (String name : flags(Arrays.copyOfRange(args, 1, args.length)).keySet()) {
        if (!known.contains(name)) {
          System.err.println("Unknown option --" + name + " of " + args[0] + "; options: " + known);
          System.exit(2);
        }
      }
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "run" -> System.exit(new Runner(flags(rest)).run());
      case "benchmark-server" -> System.exit(BenchmarkServer.serve(flags(rest)));
      case "grpc-server" -> {
        // A stream the client cancels (the end of every server-streaming run) is a WARNING there.
        GRPC_NETTY_LOG.setLevel(java.util.logging.Level.SEVERE);
        Map<String, String> flags = flags(rest);
        String address = "--address=127.0.0.1:" + flags.getOrDefault("port", "50061");
        // --direct: grpc-java's --directexecutor, handlers on the transport threads.
        io.grpc.benchmarks.qps.AsyncServer.main(
            flags.containsKey("direct")
                ? new String[] {address, "--directexecutor"}
                : new String[] {address});
      }
      case "dubbo-server" ->
          DubboBenchmarkServer.serve(Integer.parseInt(flags(rest).getOrDefault("port", "50062")));
      case "netty-ceiling" ->
          NettyCeilingServer.serve(Integer.parseInt(flags(rest).getOrDefault("port", "50063")));
      case "vertx-server" ->
          VertxBenchmarkServer.serve(Integer.parseInt(flags(rest).getOrDefault("port", "50064")));
      case "armeria-server" -> {
        Map<String, String> flags = flags(rest);
        ArmeriaBenchmarkServer.serve(
            Integer.parseInt(flags.getOrDefault("port", "50065")),
            flags.containsKey("unsafe_wrap_request_buffers"));
      }
      case "load-client" -> new LoadClient(flags(rest)).run();
      case "grpc-client" -> io.grpc.benchmarks.qps.AsyncClient.main(rest);
      case "grpc-stream-client" -> GrpcServerStreamClient.run(flags(rest));
      case "jmh" ->
          org.openjdk.jmh.Main.main(List.of(rest).contains("--help") ? new String[] {"-h"} : rest);
      case "slow-reader" -> SlowReader.run(flags(rest));
      case "heap-run" -> System.exit(new Runner(flags(rest)).heapRun());
      default -> {
        System.err.println("Unknown command '" + args[0] + "'");
        usage(System.err, 2);
      }
    }
  }

  private static void usage(PrintStream out, int status) {
    out.println(
        "usage: java -jar tri4j-benchmarks.jar COMMAND [OPTIONS]; COMMAND --help lists its"
            + " options.\nCommands: "
            + String.join(", ", new TreeSet<>(OPTIONS.keySet()))
            + ", jmh (JMH's own options).");
    System.exit(status);
  }

  /** {@code --name value}, {@code --name=value} and bare {@code --flag} (true). */
  static Map<String, String> flags(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("Unexpected argument: " + arg);
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        flags.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        flags.put(arg.substring(2), args[++i]);
      } else {
        flags.put(arg.substring(2), "true");
      }
    }
    return flags;
  }
}
