package io.tri4j.benchmarks;

import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.tri4j.Protobuf;
import io.tri4j.ResponseObserver;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.StreamObserver;
import java.util.Map;

/**
 * gRPC's {@code grpc.testing.BenchmarkService}, written with tri4j's async handlers, answering as
 * grpc-java's AsyncServer does (the same response-building code), so that the two servers do the
 * same application work.
 */
final class BenchmarkService {
  static final String NAME = "grpc.testing.BenchmarkService";

  private BenchmarkService() {}

  static RpcServiceHandler handler() {
    return new RpcServiceHandler(
        NAME,
        Map.of(
            "UnaryCall",
            RpcMethodHandler.unaryAsync(
                (SimpleRequest request, ResponseObserver<SimpleResponse> responses) -> {
                  responses.onNext(Utils.makeResponse(request));
                  responses.onCompleted();
                },
                Protobuf.deserializer(SimpleRequest.parser()),
                Protobuf.serializer()),
            "StreamingCall",
            RpcMethodHandler.biStreamAsync(
                (ResponseObserver<SimpleResponse> responses) ->
                    new StreamObserver<SimpleRequest>() {
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
                    },
                Protobuf.deserializer(SimpleRequest.parser()),
                Protobuf.serializer()),
            "StreamingFromServer",
            RpcMethodHandler.serverStreamAsync(
                (SimpleRequest request, ResponseObserver<SimpleResponse> responses) -> {
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
                },
                Protobuf.deserializer(SimpleRequest.parser()),
                Protobuf.serializer())));
  }
}
