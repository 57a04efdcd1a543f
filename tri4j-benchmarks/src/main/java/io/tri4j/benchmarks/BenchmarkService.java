package io.tri4j.benchmarks;

import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.BenchmarkServiceTri4j;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.tri4j.ResponseObserver;
import io.tri4j.RpcServiceHandler;
import io.tri4j.StreamObserver;

/**
 * gRPC's {@code grpc.testing.BenchmarkService} on the async interface protoc-gen-tri4j generates,
 * answering as grpc-java's AsyncServer does (the same response-building code), so that the two
 * servers do the same application work. The generated handlers are lambdas over the same async
 * callables and protobuf serializers a hand-written handler would use.
 */
final class BenchmarkService implements BenchmarkServiceTri4j.AsyncBenchmarkService {
  static final String NAME = BenchmarkServiceTri4j.SERVICE_NAME;

  static RpcServiceHandler handler() {
    return BenchmarkServiceTri4j.serviceHandler(new BenchmarkService());
  }

  @Override
  public void unaryCall(SimpleRequest request, ResponseObserver<SimpleResponse> responses) {
    responses.onNext(Utils.makeResponse(request));
    responses.onCompleted();
  }

  @Override
  public StreamObserver<SimpleRequest> streamingCall(ResponseObserver<SimpleResponse> responses) {
    return new StreamObserver<SimpleRequest>() {
      @Override
      public void onNext(SimpleRequest request) {
        responses.onNext(Utils.makeResponse(request));
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
  public void streamingFromServer(
      SimpleRequest request, ResponseObserver<SimpleResponse> responses) {
    // Send until the client cancels, as fast as flow control allows.
    SimpleResponse response = Utils.makeResponse(request);
    Runnable pump =
        () -> {
          synchronized (responses) {
            while (responses.isReady() && !responses.isCancelled()) {
              responses.onNext(response);
            }
          }
        };
    responses.setOnReadyHandler(pump);
    pump.run();
  }
}
