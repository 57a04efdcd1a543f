package io.tri4j.benchmarks;

import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import java.util.concurrent.TimeUnit;

/**
 * {@code grpc.testing.BenchmarkService} (unary and ping-pong) on Vert.x gRPC 5 with its defaults:
 * one verticle per core, each with its own HTTP server on the shared port, handlers on the event
 * loop, answering as grpc-java's AsyncServer does.
 */
final class VertxBenchmarkServer extends VerticleBase {
  private static final ServiceName SERVICE = ServiceName.create(BenchmarkService.NAME);
  private static final ServiceMethod<SimpleRequest, SimpleResponse> UNARY = method("UnaryCall");
  private static final ServiceMethod<SimpleRequest, SimpleResponse> STREAMING =
      method("StreamingCall");

  private final int port;

  private static ServiceMethod<SimpleRequest, SimpleResponse> method(String name) {
    return ServiceMethod.server(
        SERVICE,
        name,
        GrpcMessageEncoder.encoder(),
        GrpcMessageDecoder.decoder(SimpleRequest.newBuilder()));
  }

  private VertxBenchmarkServer(int port) {
    this.port = port;
  }

  static void serve(int port) throws Exception {
    start(port);
    System.out.println("Vert.x BenchmarkService serving on " + port);
    Thread.currentThread().join();
  }

  /** Deploys the verticles serving on {@code port}; closing stops Vert.x. */
  static AutoCloseable start(int port) throws Exception {
    Vertx vertx = Vertx.vertx();
    vertx
        .deployVerticle(
            () -> new VertxBenchmarkServer(port),
            new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
        .await(30, TimeUnit.SECONDS);
    return () -> vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Override
  public Future<?> start() {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(
        UNARY, request -> request.handler(req -> request.response().end(Utils.makeResponse(req))));
    grpc.callHandler(
        STREAMING,
        request -> {
          request.handler(req -> request.response().write(Utils.makeResponse(req)));
          request.endHandler(v -> request.response().end());
        });
    return vertx
        .createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1"))
        .requestHandler(grpc)
        .listen();
  }
}
