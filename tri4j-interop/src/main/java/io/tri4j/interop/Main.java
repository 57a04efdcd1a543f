package io.tri4j.interop;

import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The interop jar's command line, with flag names as gRPC's interop programs use them.
 *
 * <pre>
 * java -jar tri4j-interop.jar test-server --port N
 * java -jar tri4j-interop.jar test-client --server_host H --server_port N --test_case CASE
 * </pre>
 *
 * {@code --use_tls=false} is accepted and ignored (tri4j speaks cleartext HTTP/2); {@code
 * --test_case=all} runs every case. The client exits with status 1 if a case fails; {@code --help}
 * prints the usage, and an unknown command or option exits with status 2.
 */
public final class Main {
  /** Inbound message limit of the test server: very_large_request sends 10 MiB. */
  static final int MAX_MESSAGE = 16 * 1024 * 1024;

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage(System.err, 2);
    }
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      usage(System.out, 0);
    }
    List<String> known =
        switch (args[0]) {
          case "test-server" -> List.of("port", "use_tls");
          case "test-client" -> List.of("server_host", "server_port", "test_case", "use_tls");
          default -> {
            System.err.println("Unknown command '" + args[0] + "'");
            usage(System.err, 2);
            yield List.of();
          }
        };
    Map<String, String> flags = flags(args);
    for (String name : flags.keySet()) {
      if (!known.contains(name)) {
        System.err.println("Unknown option --" + name + " of " + args[0] + "; options: " + known);
        usage(System.err, 2);
      }
    }
    switch (args[0]) {
      case "test-server" -> serve(Integer.parseInt(flags.getOrDefault("port", "50052")));
      default ->
          System.exit(
              runClient(
                  flags.getOrDefault("server_host", "127.0.0.1"),
                  Integer.parseInt(flags.getOrDefault("server_port", "50052")),
                  flags.getOrDefault("test_case", "empty_unary")));
    }
  }

  private static void usage(PrintStream out, int status) {
    out.println(
        "usage: java -jar tri4j-interop.jar test-server [--port N]\n"
            + "       java -jar tri4j-interop.jar test-client [--server_host H] [--server_port N]"
            + " [--test_case CASE|all]\n"
            + "gRPC's interop server and client; --use_tls=false is accepted (cleartext only),"
            + " --help prints this text.\n"
            + "Cases: "
            + String.join(", ", InteropClient.CASES));
    System.exit(status);
  }

  /** Reads {@code --name value} and {@code --name=value} flags after the command. */
  static Map<String, String> flags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
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

  /** A test server on {@code port} of every interface; the caller closes it. */
  public static Server startServer(String host, int port) {
    return new Server(
            ServerOptions.defaults().withMaxInboundMessageSize(MAX_MESSAGE),
            new ServiceConfig(TestServiceImpl.handler()).withHost(host).withPort(port))
        .start();
  }

  private static void serve(int port) throws InterruptedException {
    Server server = startServer(ServiceConfig.DEFAULT_HOST, port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("grpc.testing.TestService serving on " + server.addresses());
    server.awaitTermination();
  }

  /**
   * Runs one case (or {@code all}), printing PASSED or FAILED for each; returns the exit status.
   */
  public static int runClient(String host, int port, String testCase) {
    int failures = 0;
    try (InteropClient client = new InteropClient(host, port)) {
      for (String c : testCase.equals("all") ? InteropClient.CASES : List.of(testCase)) {
        try {
          client.run(c);
          System.out.println("PASSED " + c);
        } catch (Exception | AssertionError e) {
          failures++;
          System.out.println("FAILED " + c + ": " + e);
        }
      }
    }
    return failures == 0 ? 0 : 1;
  }
}
