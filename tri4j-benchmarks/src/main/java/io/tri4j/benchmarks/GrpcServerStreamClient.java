package io.tri4j.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java's client for the server-streaming case (grpc-benchmarks' AsyncClient has none): the
 * generated async stub with its default flow control, one channel per {@code --channels}, {@code
 * --outstanding_rpcs} streams on each.
 */
final class GrpcServerStreamClient {
  private GrpcServerStreamClient() {}

  /** Runs the streams and prints the rate; returns messages per second. */
  static long run(Map<String, String> flags) throws InterruptedException {
    String[] address = flags.getOrDefault("address", "127.0.0.1:50061").split(":");
    int channels = Integer.parseInt(flags.getOrDefault("channels", "1"));
    int outstanding = Integer.parseInt(flags.getOrDefault("outstanding_rpcs", "1"));
    int payload = Integer.parseInt(flags.getOrDefault("server_payload", "0"));
    SimpleRequest request = Utils.makeRequest(Messages.PayloadType.COMPRESSABLE, 0, payload);
    List<ManagedChannel> opened = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      opened.add(
          NettyChannelBuilder.forAddress(address[0], Integer.parseInt(address[1]))
              .usePlaintext()
              .build());
    }
    try {
      return ServerStreamCount.run(
          channels * outstanding,
          (i, counter) -> {
            ClientCallStreamObserver<?>[] call = new ClientCallStreamObserver<?>[1];
            BenchmarkServiceGrpc.newStub(opened.get(i % channels))
                .streamingFromServer(
                    request,
                    new ClientResponseObserver<SimpleRequest, SimpleResponse>() {
                      @Override
                      public void beforeStart(ClientCallStreamObserver<SimpleRequest> stream) {
                        call[0] = stream;
                      }

                      @Override
                      public void onNext(SimpleResponse value) {
                        counter.onNext(value);
                      }

                      @Override
                      public void onError(Throwable error) {
                        if (!io.grpc.Status.fromThrowable(error)
                            .getCode()
                            .equals(io.grpc.Status.Code.CANCELLED)) {
                          counter.onError(error);
                        }
                      }

                      @Override
                      public void onCompleted() {}
                    });
            return reason -> call[0].cancel(reason, null);
          },
          Integer.parseInt(flags.getOrDefault("warmup_duration", "3")),
          Integer.parseInt(flags.getOrDefault("duration", "10")));
    } finally {
      for (ManagedChannel channel : opened) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
