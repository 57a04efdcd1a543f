package io.tri4j.benchmarks;

import com.google.protobuf.ByteString;
import io.tri4j.benchmarks.dubbo.DubboBenchmarkServiceTriple;
import io.tri4j.benchmarks.dubbo.Payload;
import io.tri4j.benchmarks.dubbo.SimpleRequest;
import io.tri4j.benchmarks.dubbo.SimpleResponse;
import org.apache.dubbo.common.stream.StreamObserver;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.model.FrameworkModel;

/**
 * {@code grpc.testing.BenchmarkService} on Apache Dubbo 3.3's Triple server, with Dubbo's default
 * provider settings (its thread pool, no registry), answering as grpc-java's AsyncServer does: a
 * COMPRESSABLE payload of the requested size. Dubbo's server-side {@code StreamObserver} has no
 * readiness signal, so {@code StreamingFromServer} is not offered: an unbounded stream could only
 * fill the heap.
 */
final class DubboBenchmarkServer extends DubboBenchmarkServiceTriple.BenchmarkServiceImplBase {
  /** Dubbo reads 127.0.0.1 as "any address"; the IPv4-mapped form keeps it on loopback. */
  private static final String LOOPBACK = "::ffff:127.0.0.1";

  static void serve(int port) throws InterruptedException {
    start(port);
    System.out.println("Dubbo BenchmarkService serving on " + port);
    Thread.currentThread().join();
  }

  /** Starts a Dubbo application serving the benchmark service on {@code port}; closing stops it. */
  static AutoCloseable start(int port) {
    ApplicationConfig application = new ApplicationConfig("tri4j-benchmarks-dubbo");
    application.setQosEnable(false);
    application.setLogger("slf4j");
    ProtocolConfig protocol = new ProtocolConfig("tri", port);
    protocol.setHost(LOOPBACK);
    ServiceConfig<io.tri4j.benchmarks.dubbo.BenchmarkService> service = new ServiceConfig<>();
    service.setInterface(io.tri4j.benchmarks.dubbo.BenchmarkService.class);
    service.setRef(new DubboBenchmarkServer());
    DubboBootstrap bootstrap =
        DubboBootstrap.newInstance(new FrameworkModel())
            .application(application)
            .registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
            .protocol(protocol)
            .service(service)
            .start();
    return bootstrap::destroy;
  }

  private static SimpleResponse respond(SimpleRequest request) {
    return SimpleResponse.newBuilder()
        .setPayload(
            Payload.newBuilder()
                .setBody(ByteString.copyFrom(new byte[Math.max(0, request.getResponseSize())])))
        .build();
  }

  @Override
  public SimpleResponse unaryCall(SimpleRequest request) {
    return respond(request);
  }

  @Override
  public StreamObserver<SimpleRequest> streamingCall(StreamObserver<SimpleResponse> responses) {
    return new StreamObserver<>() {
      @Override
      public void onNext(SimpleRequest request) {
        responses.onNext(respond(request));
      }

      @Override
      public void onError(Throwable error) {}

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };
  }

  @Override
  public void streamingFromServer(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
    responses.onError(
        new UnsupportedOperationException("no flow control for an unbounded stream in Dubbo"));
  }
}
