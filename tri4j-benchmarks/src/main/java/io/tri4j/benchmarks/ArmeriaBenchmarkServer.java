package io.tri4j.benchmarks;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.benchmarks.qps.AsyncServer;
import java.net.InetSocketAddress;

/**
 * grpc-java's {@code BenchmarkService} implementation (that of its AsyncServer) served by Armeria
 * with its defaults; {@code unsafeWrapRequestBuffers} lets the request parser read Netty's buffers
 * in place instead of copying them.
 */
final class ArmeriaBenchmarkServer {
  private ArmeriaBenchmarkServer() {}

  static void serve(int port, boolean unsafeWrapRequestBuffers) throws InterruptedException {
    start(port, unsafeWrapRequestBuffers);
    System.out.println("Armeria BenchmarkService serving on " + port);
    Thread.currentThread().join();
  }

  /** Starts Armeria on {@code port}; closing stops it. */
  static AutoCloseable start(int port, boolean unsafeWrapRequestBuffers) {
    Server server =
        Server.builder()
            .http(new InetSocketAddress("127.0.0.1", port))
            .service(
                GrpcService.builder()
                    .addService(new AsyncServer.BenchmarkServiceImpl())
                    .unsafeWrapRequestBuffers(unsafeWrapRequestBuffers)
                    .build())
            .build();
    server.start().join();
    return () -> server.stop().join();
  }
}
