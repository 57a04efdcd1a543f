package io.tri4j.examples;

import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.RegistryConfig;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.services.health.HealthStatusManager;
import io.tri4j.services.health.v1.HealthCheckResponse.ServingStatus;
import java.io.PrintStream;
import java.util.List;
import org.apache.dubbo.samples.proto.GreeterTri4j;

/**
 * The examples' command line.
 *
 * <pre>
 * java -jar tri4j-examples.jar                          the demo: server and client in one process
 * java -jar tri4j-examples.jar server [--port N] [--host H] [--registry URL] [--reflection off]
 *                                     [--metrics-port M] [--executor direct|pool|virtual]
 *                                     [--cors ORIGIN,...]
 *                                                       serves Greeter, health and reflection
 * java -jar tri4j-examples.jar client --target tri://H:N/org.apache.dubbo.samples.proto.Greeter
 * java -jar tri4j-examples.jar client --registry zookeeper://H:2181
 * java -jar tri4j-examples.jar registry-demo             ZooKeeper, three providers, a consumer
 * </pre>
 *
 * The client runs every call style, prints what it got, and exits with status 1 on any mismatch.
 * Every command answers {@code --help}; an unknown option or command exits with status 2.
 */
public final class Main {
  static final String USAGE =
      """
      usage: java -jar tri4j-examples.jar [COMMAND] [OPTIONS]

        demo (or no command)   a Greeter server and a client in one process: every call style,
                               then a deadline, an error status, metadata and cancellation
        server [--port N] [--host H] [--registry URL] [--reflection on|off] [--metrics-port M]
               [--executor direct|pool|virtual] [--cors ORIGIN,...]
                               serve Greeter until killed (port 50051, all interfaces), with
                               gRPC health checking and, unless off, server reflection, and a
                               page at http://H:N/ that calls Greeter from the browser;
                               with --registry, registered in a registry such as
                               zookeeper://127.0.0.1:2181 (?register-mode=all|interface|instance,
                               ?application=NAME); with --metrics-port, gRPC's metrics in
                               Prometheus text at http://H:M/metrics; handlers run on the
                               network threads (direct), a thread pool (pool) or a virtual
                               thread per call (virtual, JDK 21+); by default on the server's
                               own executor (virtual threads on 21+, a pool on 17);
                               with --cors, pages from those origins (such as
                               http://localhost:5173, or * for any) may call it too
        client [--target URL]  call a Greeter server in every call style and check the answers
                               (default tri://127.0.0.1:50051/org.apache.dubbo.samples.proto.Greeter)
        client --registry URL  the same, with the providers a registry lists, such as those of
                               a Dubbo deployment (?migration-step=APPLICATION_FIRST by default)
        registry-demo          an embedded ZooKeeper, three providers and a consumer

        --help                 this text
      """;

  private Main() {}

  public static void main(String[] args) throws Exception {
    try {
      System.exit(run(args, System.out));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
    } catch (IllegalStateException e) {
      // Such as a registry that cannot be reached: the message says which and why.
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Runs the command {@code args} names; returns the exit status.
   *
   * @throws IllegalArgumentException for an unknown command or option
   */
  static int run(String[] args, PrintStream out) throws Exception {
    if (Options.wantsHelp(args)) {
      out.print(USAGE);
      return 0;
    }
    String command = args.length == 0 ? "demo" : args[0];
    switch (command) {
      case "demo" -> {
        new Options(args, 1, List.of());
        return new Demo(out).run();
      }
      case "server" -> {
        Options options = new Options(args, 1, SERVER_OPTIONS);
        serve(
            options.get("--host", ServiceConfig.DEFAULT_HOST),
            options.port("--port", "50051"),
            options.onOff("--reflection", true),
            options.port("--metrics-port", "-1"),
            serverOptions(options));
        return 0;
      }
      case "client" -> {
        Options options = new Options(args, 1, List.of("--target", "--registry"));
        String registry = options.get("--registry", null);
        if (registry != null) {
          if (options.get("--target", null) != null) {
            throw new IllegalArgumentException("Give --target or --registry, not both");
          }
          return registryClient(registry, out);
        }
        return client(
            options.get("--target", "tri://127.0.0.1:50051/" + GreeterTri4j.SERVICE_NAME), out);
      }
      case "registry-demo" -> {
        new Options(args, 1, List.of());
        return RegistryDemo.run(out);
      }
      default -> throw new IllegalArgumentException("Unknown command '" + command + "'");
    }
  }

  /** Serves until killed; {@code metricsPort} -1: no metrics endpoint. */
  static void serve(
      String host, int port, boolean reflection, int metricsPort, ServerOptions options)
      throws InterruptedException {
    MetricsEndpoint metrics = metricsPort < 0 ? null : MetricsEndpoint.start(host, metricsPort);
    HealthStatusManager health = new HealthStatusManager();
    Server server = newServer(host, port, health, reflection, metrics, options).start();
    health.setStatus(GreeterTri4j.SERVICE_NAME, ServingStatus.SERVING);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  if (metrics != null) {
                    metrics.close();
                  }
                }));
    System.out.println(
        "Greeter serving on "
            + server.addresses()
            + " (tri://, gRPC compatible), with health checking"
            + (reflection ? " and server reflection" : "")
            + "; the browser demo at "
            + pageUrl(host, server.port())
            + (options.registry() == null ? "" : ", registered in " + options.registry())
            + (metrics == null
                ? ""
                : ", metrics at http://" + host + ":" + metricsPort + "/metrics")
            + ". Stop with Ctrl-C.");
    server.awaitTermination();
  }

  /** Where a browser on this machine finds the demo page of a server on {@code host}. */
  static String pageUrl(String host, int port) {
    String h =
        host.equals(ServiceConfig.DEFAULT_HOST) || host.equals("::")
            ? "localhost"
            : host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port + "/";
  }

  /**
   * The Greeter server with {@code health}'s service and, if {@code reflection}, server reflection,
   * and the browser demo's page ({@link GreeterServer#WEB_ROOT}); its calls recorded by {@code
   * metrics} if not null.
   */
  static Server newServer(
      String host,
      int port,
      HealthStatusManager health,
      boolean reflection,
      MetricsEndpoint metrics,
      ServerOptions options) {
    if (metrics != null) {
      options = options.withInterceptors(metrics.telemetry().serverInterceptor());
    }
    options = options.withStaticResources(GreeterServer.WEB_ROOT);
    Server server = new Server(options, GreeterServer.configs(host, port, health, reflection));
    // NOT_SERVING first, so that health checks turn clients away while the calls drain.
    server.addShutdownListener(health::enterTerminalState);
    return server;
  }

  static final List<String> SERVER_OPTIONS =
      List.of(
          "--port",
          "--host",
          "--registry",
          "--reflection",
          "--metrics-port",
          "--executor",
          "--cors");

  /**
   * The server's options from the {@code server} command's {@code --executor}, {@code --registry}
   * and {@code --cors}.
   *
   * @throws IllegalArgumentException for a bad value, naming it
   */
  static ServerOptions serverOptions(Options options) {
    ServerOptions serverOptions = ServerOptions.defaults();
    String executor = options.get("--executor", null);
    if (executor != null) {
      serverOptions =
          serverOptions.withExecutor(HandlerExecutor.named(executor, Runtime.version().feature()));
    }
    String registry = options.get("--registry", null);
    if (registry != null) {
      serverOptions = serverOptions.withRegistry(RegistryConfig.fromUrl(registry));
    }
    String cors = options.get("--cors", null);
    if (cors != null) {
      serverOptions = serverOptions.withCorsAllowedOrigins(cors.split(",", -1));
    }
    return serverOptions;
  }

  static int client(String target, PrintStream out) {
    try (Client client = new Client(ReferenceConfig.fromUrl(target))) {
      out.println("Calling " + target);
      return runAll(client, out);
    }
  }

  /** Calls the Greeter providers {@code registry} lists, once one is known. */
  static int registryClient(String registry, PrintStream out) throws InterruptedException {
    try (Client client =
        new Client(
            ReferenceConfig.forService(GreeterTri4j.SERVICE_NAME),
            RegistryConfig.fromUrl(registry))) {
      out.println("Calling " + GreeterTri4j.SERVICE_NAME + " as listed in " + registry);
      GreeterTri4j.GreeterStub greeter = new GreeterTri4j.GreeterStub(client);
      // Providers are read in the background: wait up to ten seconds for the first.
      for (int i = 0; ; i++) {
        try {
          greeter.greet(GreeterClient.request("registry"));
          break;
        } catch (StatusException e) {
          if (e.getStatus().code() != Status.Code.UNAVAILABLE || i == 100) {
            out.println("No provider answered: " + e.getStatus());
            return 1;
          }
          Thread.sleep(100);
        }
      }
      return runAll(client, out);
    }
  }

  private static int runAll(Client client, PrintStream out) {
    int failures = new GreeterClient(client, out).runAll();
    out.println(
        failures == 0 ? "All calls gave the expected answers." : failures + " call(s) went wrong.");
    return failures == 0 ? 0 : 1;
  }
}
