package com.example.quickstart;

import com.example.quickstart.hello.HelloTri4j;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;

/** Serves {@code Hello} on port 50051 (or the port given) until stopped with Ctrl-C. */
public final class HelloServer {
  private HelloServer() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 50051;
    ServiceConfig config =
        new ServiceConfig(HelloTri4j.serviceHandler(new HelloService())).withPort(port);
    Server server = new Server(config).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("Hello is served on port " + server.port() + ". Stop with Ctrl-C.");
    server.awaitTermination();
  }
}
