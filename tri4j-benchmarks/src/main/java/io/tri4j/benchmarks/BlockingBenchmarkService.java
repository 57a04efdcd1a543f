package io.tri4j.benchmarks;

import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.BenchmarkServiceTri4j;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.tri4j.ReadStream;
import io.tri4j.RpcServiceHandler;
import io.tri4j.ServerContext;
import io.tri4j.WriteStream;

/**
 * gRPC's {@code grpc.testing.BenchmarkService} on the blocking interface protoc-gen-tri4j
 * generates, as a user of dubbo-python's model writes it: a unary function, a bidi handler reading
 * a {@link ReadStream} and writing a {@link WriteStream}, a server-streaming handler writing until
 * the client goes. The generated handlers are {@code RpcMethodHandler.unary}, {@code biStream} and
 * {@code serverStream} in writer form. Responses are built as in {@link BenchmarkService}, so both
 * do the same application work per call.
 */
final class BlockingBenchmarkService implements BenchmarkServiceTri4j.BenchmarkService {

  static RpcServiceHandler handler() {
    return BenchmarkServiceTri4j.serviceHandler(new BlockingBenchmarkService());
  }

  @Override
  public SimpleResponse unaryCall(SimpleRequest request) {
    return Utils.makeResponse(request);
  }

  @Override
  public void streamingCall(
      ReadStream<SimpleRequest> requests, WriteStream<SimpleResponse> responses) {
    for (SimpleRequest request : requests) {
      responses.write(Utils.makeResponse(request));
    }
  }

  @Override
  public void streamingFromServer(SimpleRequest request, WriteStream<SimpleResponse> responses) {
    // Send until the client cancels: write blocks while flow control holds the stream back, and
    // throws once the call is cancelled, which ends the handler however the cancel falls.
    SimpleResponse response = Utils.makeResponse(request);
    ServerContext call = ServerContext.current();
    while (!call.isCancelled()) {
      responses.write(response);
    }
  }
}
