package io.tri4j.examples;

import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import java.io.PrintStream;
import org.apache.dubbo.samples.proto.GreeterTri4j;

/**
 * The examples' command line.
 *
 * <pre>
 * java -jar tri4j-examples.jar                          the demo: server and client in one process
 * java -jar tri4j-examples.jar server [--port N] [--host H]   serves Greeter until killed
 * java -jar tri4j-examples.jar client --target tri://H:N/org.apache.dubbo.samples.proto.Greeter
 * java -jar tri4j-examples.jar registry-demo             ZooKeeper, three providers, a consumer
 * </pre>
 *
 * The client runs every call style, prints what it got, and exits with status 1 on any mismatch.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    if (args.length == 0) {
      System.exit(demo(out));
    }
    switch (args[0]) {
      case "server":
        serve(
            option(args, "--host", ServiceConfig.DEFAULT_HOST),
            Integer.parseInt(option(args, "--port", "50051")),
            out);
        break;
      case "client":
        System.exit(
            client(
                option(args, "--target", "tri://127.0.0.1:50051/" + GreeterTri4j.SERVICE_NAME),
                out));
        break;
      case "demo":
        System.exit(demo(out));
        break;
      case "registry-demo":
        System.exit(RegistryDemo.run(out));
        break;
      default:
        System.err.println(
            "usage: java -jar tri4j-examples.jar"
                + " [demo | registry-demo | server [--port N] [--host H] | client [--target URL]]");
        System.exit(2);
    }
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(name)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i + 1];
      }
      if (args[i].startsWith(name + "=")) {
        return args[i].substring(name.length() + 1);
      }
    }
    return fallback;
  }

  static void serve(String host, int port, PrintStream out) throws InterruptedException {
    Server server =
        new Server(new ServiceConfig(GreeterService.handler()).withHost(host).withPort(port))
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    out.println(
        "Greeter serving on "
            + server.addresses()
            + " (tri://, gRPC compatible). Stop with Ctrl-C.");
    server.awaitTermination();
  }

  static int client(String target, PrintStream out) {
    try (Client client = new Client(ReferenceConfig.fromUrl(target))) {
      out.println("Calling " + target);
      int failures = new GreeterClient(client, out).runAll();
      out.println(
          failures == 0
              ? "All calls gave the expected answers."
              : failures + " call(s) went wrong.");
      return failures == 0 ? 0 : 1;
    }
  }

  static int demo(PrintStream out) {
    out.println(
        "tri4j demo: a Greeter server and a client in one process, over HTTP/2 on loopback.");
    ServiceConfig config =
        new ServiceConfig(GreeterService.handler()).withHost("127.0.0.1").withPort(0);
    try (Server server = new Server(config).start()) {
      String target = "tri://127.0.0.1:" + server.port() + "/" + GreeterTri4j.SERVICE_NAME;
      out.println("Server started on port " + server.port() + ".");
      out.println();
      return client(target, out);
    }
  }
}
