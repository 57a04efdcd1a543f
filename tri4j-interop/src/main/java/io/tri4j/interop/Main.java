package io.tri4j.interop;

import io.tri4j.ClientTls;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServerTls;
import io.tri4j.ServiceConfig;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The interop jar's command line, with flag names as gRPC's interop programs use them.
 *
 * <pre>
 * java -jar tri4j-interop.jar test-server --port N [--use_tls=true]
 * java -jar tri4j-interop.jar test-client --server_host H --server_port N --test_case CASE
 *     [--use_tls=true [--use_test_ca=true] [--server_host_override=foo.test.google.fr]]
 * </pre>
 *
 * With {@code --use_tls=true} the server presents gRPC's {@code server1} test certificate, and the
 * client connects with TLS, trusting gRPC's test CA with {@code --use_test_ca=true} (the JDK's
 * roots otherwise) and checking the {@code --server_host_override} name instead of the host. {@code
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
          case "test-client" ->
              List.of(
                  "server_host",
                  "server_port",
                  "test_case",
                  "use_tls",
                  "use_test_ca",
                  "server_host_override");
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
      case "test-server" ->
          serve(
              Integer.parseInt(flags.getOrDefault("port", "50052")),
              Boolean.parseBoolean(flags.getOrDefault("use_tls", "false")));
      default ->
          System.exit(
              runClient(
                  flags.getOrDefault("server_host", "127.0.0.1"),
                  Integer.parseInt(flags.getOrDefault("server_port", "50052")),
                  flags.getOrDefault("test_case", "empty_unary"),
                  clientTls(flags)));
    }
  }

  private static void usage(PrintStream out, int status) {
    out.println(
        "usage: java -jar tri4j-interop.jar test-server [--port N] [--use_tls=true]\n"
            + "       java -jar tri4j-interop.jar test-client [--server_host H] [--server_port N]"
            + " [--test_case CASE|all]\n"
            + "           [--use_tls=true [--use_test_ca=true]"
            + " [--server_host_override=foo.test.google.fr]]\n"
            + "gRPC's interop server and client; --help prints this text.\n"
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

  /**
   * The TLS a {@code test-client} command line ({@code args}, the command first) asks for, or null
   * for plaintext.
   */
  public static ClientTls clientTls(String... args) {
    return clientTls(flags(args));
  }

  private static ClientTls clientTls(Map<String, String> flags) {
    if (!Boolean.parseBoolean(flags.getOrDefault("use_tls", "false"))) {
      return null;
    }
    ClientTls tls = ClientTls.defaults();
    if (Boolean.parseBoolean(flags.getOrDefault("use_test_ca", "false"))) {
      tls = tls.withTrustedCertificates(TestCerts.file("ca.pem"));
    }
    String override = flags.get("server_host_override");
    return override == null || override.isEmpty() ? tls : tls.withServerNameOverride(override);
  }

  /** A test server on {@code port} of every interface; the caller closes it. */
  public static Server startServer(String host, int port) {
    return startServer(host, port, false);
  }

  /** As {@link #startServer(String, int)}, with gRPC's server1 test certificate if {@code tls}. */
  public static Server startServer(String host, int port, boolean tls) {
    ServerOptions options = ServerOptions.defaults().withMaxInboundMessageSize(MAX_MESSAGE);
    if (tls) {
      options =
          options.withTls(
              ServerTls.fromPem(TestCerts.file("server1.pem"), TestCerts.file("server1.key")));
    }
    return new Server(
            options, new ServiceConfig(TestServiceImpl.handler()).withHost(host).withPort(port))
        .start();
  }

  private static void serve(int port, boolean tls) throws InterruptedException {
    Server server = startServer(ServiceConfig.DEFAULT_HOST, port, tls);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("grpc.testing.TestService serving on " + server.addresses());
    server.awaitTermination();
  }

  /**
   * Runs one case (or {@code all}), printing PASSED or FAILED for each; returns the exit status.
   */
  public static int runClient(String host, int port, String testCase) {
    return runClient(host, port, testCase, null);
  }

  /** As {@link #runClient(String, int, String)}, with TLS unless {@code tls} is null. */
  public static int runClient(String host, int port, String testCase, ClientTls tls) {
    int failures = 0;
    try (InteropClient client = new InteropClient(host, port, tls)) {
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
