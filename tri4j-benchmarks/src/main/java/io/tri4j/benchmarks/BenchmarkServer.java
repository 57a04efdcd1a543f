package io.tri4j.benchmarks;

import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * tri4j's {@code benchmark-server}: {@code grpc.testing.BenchmarkService} with the handler style of
 * {@code --handlers} ({@code async}, the default, or {@code blocking}) on the executor of {@code
 * --executor}: {@code default}, the server's own; {@code forkjoin}, a ForkJoinPool of one thread
 * per core; {@code direct}, the network threads.
 */
final class BenchmarkServer {
  /** The values of {@code --executor}, the first the default. */
  static final List<String> EXECUTORS = List.of("default", "forkjoin", "direct");

  /** How the service's methods are written: the values of {@code --handlers}. */
  enum Handlers {
    /** {@link BenchmarkService}: async handlers answering through observers. */
    ASYNC,
    /** {@link BlockingBenchmarkService}: dubbo-python's blocking handlers. */
    BLOCKING;

    RpcServiceHandler service() {
      return this == ASYNC ? BenchmarkService.handler() : BlockingBenchmarkService.handler();
    }
  }

  private BenchmarkServer() {}

  /**
   * Serves until the process ends; returns 2 (after saying why on stderr) for an option value it
   * does not know.
   */
  static int serve(Map<String, String> flags) throws InterruptedException {
    Server server;
    try {
      server = start(flags);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    System.out.println("BenchmarkService serving on " + server.addresses());
    server.awaitTermination();
    return 0;
  }

  /**
   * Starts the server {@code flags} describe on 127.0.0.1 ({@code port} 0: any free port).
   *
   * @throws IllegalArgumentException for an unknown value of {@code --executor} or {@code
   *     --handlers}, or blocking handlers on the network threads
   */
  static Server start(Map<String, String> flags) {
    Handlers handlers = handlers(flags);
    if (handlers == Handlers.BLOCKING && flags.getOrDefault("executor", "").equals("direct")) {
      throw new IllegalArgumentException(
          "--handlers blocking needs threads that may block, not --executor direct: a blocked"
              + " handler would stop its connection's network thread");
    }
    int port = Integer.parseInt(flags.getOrDefault("port", "50060"));
    ServerOptions options = options(flags);
    Server server =
        new Server(
            options, new ServiceConfig(handlers.service()).withHost("127.0.0.1").withPort(port));
    server.start();
    return server;
  }

  /** The server's options for {@code --executor}: no executor of its own for {@code default}. */
  static ServerOptions options(Map<String, String> flags) {
    ServerOptions options = ServerOptions.defaults().withMaxInboundMessageSize(64 * 1024 * 1024);
    return switch (value(flags, "executor", EXECUTORS)) {
      case "direct" -> options.withExecutor(Runnable::run);
      case "forkjoin" ->
          options.withExecutor(
              new ForkJoinPool(
                  Runtime.getRuntime().availableProcessors(),
                  ForkJoinPool.defaultForkJoinWorkerThreadFactory,
                  null,
                  true));
      default -> options;
    };
  }

  /** The handler style of {@code --handlers}. */
  static Handlers handlers(Map<String, String> flags) {
    return Handlers.valueOf(
        value(flags, "handlers", List.of("async", "blocking")).toUpperCase(Locale.ROOT));
  }

  /** The value of option {@code name}, one of {@code values} (the first when absent). */
  private static String value(Map<String, String> flags, String name, List<String> values) {
    String value = flags.getOrDefault(name, values.get(0));
    if (!values.contains(value)) {
      throw new IllegalArgumentException(
          "Unknown value '" + value + "' of --" + name + " of benchmark-server; values: " + values);
    }
    return value;
  }
}
