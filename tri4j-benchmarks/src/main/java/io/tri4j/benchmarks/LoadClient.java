package io.tri4j.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.netty.NettyChannelBuilder;
import io.tri4j.Client;
import io.tri4j.Protobuf;
import io.tri4j.ReferenceConfig;
import io.tri4j.RequestObserver;
import io.tri4j.StreamObserver;
import io.tri4j.UnaryCallable;
import io.tri4j.internal.call.CallExecutors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * tri4j's load client for {@code grpc.testing.BenchmarkService}: {@code channels} clients (one
 * connection each), {@code outstanding} calls in flight on each, for a warm-up then a measured
 * period. Unary calls (async or blocking API) or streaming ping-pong. Prints the same lines as
 * grpc-java's AsyncClient.
 *
 * <p>With {@code --grpc_blocking} the blocking callers use grpc-java's generated blocking stub (one
 * channel per {@code --channels}) instead of tri4j's client: the same callers, threads and loop, so
 * that the blocking APIs of both are measured alike. grpc-java's AsyncClient has no blocking mode.
 */
final class LoadClient {
  private final String address;
  private final int channels;
  private final int outstanding;
  private final int clientPayload;
  private final int serverPayload;
  private final int warmupSeconds;
  private final int durationSeconds;
  private final boolean streaming;
  private final boolean blocking;
  private final boolean grpcBlocking;
  private final boolean serverStreaming;

  /**
   * The blocking API's callers: what a blocking application would use, a virtual thread per caller
   * on JDK 21+, else a platform thread each (the same choice tri4j's server makes for handlers).
   */
  private final ExecutorService callers = CallExecutors.newBlockingExecutor("caller");

  LoadClient(Map<String, String> flags) {
    address = flags.getOrDefault("address", "127.0.0.1:50060");
    channels = Integer.parseInt(flags.getOrDefault("channels", "1"));
    outstanding = Integer.parseInt(flags.getOrDefault("outstanding_rpcs", "1"));
    clientPayload = Integer.parseInt(flags.getOrDefault("client_payload", "0"));
    serverPayload = Integer.parseInt(flags.getOrDefault("server_payload", "0"));
    warmupSeconds = Integer.parseInt(flags.getOrDefault("warmup_duration", "3"));
    durationSeconds = Integer.parseInt(flags.getOrDefault("duration", "10"));
    streaming = Boolean.parseBoolean(flags.getOrDefault("streaming_rpcs", "false"));
    grpcBlocking = Boolean.parseBoolean(flags.getOrDefault("grpc_blocking", "false"));
    blocking = grpcBlocking || Boolean.parseBoolean(flags.getOrDefault("blocking", "false"));
    serverStreaming = Boolean.parseBoolean(flags.getOrDefault("server_streaming", "false"));
  }

  /** Runs the load and prints the result; returns calls (or streamed messages) per second. */
  long run() throws Exception {
    if (serverStreaming) {
      return runServerStreaming();
    }
    SimpleRequest request = request();
    List<Client> clients = grpcBlocking ? List.of() : connect();
    List<ManagedChannel> grpcChannels = grpcBlocking ? connectGrpc() : List.of();
    try {
      Histogram warmup = new ConcurrentHistogram(60_000_000L, 3);
      drive(clients, grpcChannels, request, warmup, TimeUnit.SECONDS.toNanos(warmupSeconds));
      Histogram measured = new ConcurrentHistogram(60_000_000L, 3);
      long start = System.nanoTime();
      drive(clients, grpcChannels, request, measured, TimeUnit.SECONDS.toNanos(durationSeconds));
      return print(measured, System.nanoTime() - start);
    } finally {
      clients.forEach(Client::close);
      for (ManagedChannel channel : grpcChannels) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      callers.shutdownNow();
    }
  }

  /** Server-streaming: counts messages; returns (and prints) messages per second. */
  long runServerStreaming() throws InterruptedException {
    SimpleRequest request = request();
    List<Client> clients = connect();
    try {
      return ServerStreamCount.run(
          clients.size() * outstanding,
          (i, counter) ->
              clients
                      .get(i % clients.size())
                      .<SimpleRequest, Object>serverStream(
                          "StreamingFromServer",
                          Protobuf.serializer(),
                          Protobuf.deserializer(SimpleResponse.parser()))
                      .callAsync(request, counter)
                  ::cancel,
          warmupSeconds,
          durationSeconds);
    } finally {
      clients.forEach(Client::close);
    }
  }

  private SimpleRequest request() {
    return Utils.makeRequest(Messages.PayloadType.COMPRESSABLE, clientPayload, serverPayload);
  }

  private List<Client> connect() {
    List<Client> clients = new ArrayList<>();
    ReferenceConfig config =
        ReferenceConfig.fromUrl("tri://" + address + "/" + BenchmarkService.NAME)
            .withMaxInboundMessageSize(64 * 1024 * 1024);
    for (int i = 0; i < channels; i++) {
      clients.add(new Client(config));
    }
    return clients;
  }

  private List<ManagedChannel> connectGrpc() {
    String[] hostPort = address.split(":");
    List<ManagedChannel> opened = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      opened.add(
          NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
              .usePlaintext()
              .maxInboundMessageSize(64 * 1024 * 1024)
              .build());
    }
    return opened;
  }

  private void drive(
      List<Client> clients,
      List<ManagedChannel> grpcChannels,
      SimpleRequest request,
      Histogram histogram,
      long nanos)
      throws InterruptedException {
    long end = System.nanoTime() + nanos;
    CountDownLatch done = new CountDownLatch(channels * outstanding);
    for (int c = 0; c < channels; c++) {
      Client client = grpcBlocking ? null : clients.get(c);
      for (int i = 0; i < outstanding; i++) {
        if (blocking) {
          Runnable call =
              grpcBlocking ? grpcCall(grpcChannels.get(c), request) : call(client, request);
          callers.execute(() -> blockingLoop(call, histogram, end, done));
        } else if (streaming) {
          pingPong(client, request, histogram, end, done);
        } else {
          unaryLoop(
              client.unary(
                  "UnaryCall",
                  Protobuf.serializer(),
                  Protobuf.deserializer(SimpleResponse.parser())),
              request,
              histogram,
              end,
              done);
        }
      }
    }
    if (!done.await(nanos + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("load did not finish");
    }
  }

  /** One blocking unary call with tri4j's client. */
  private static Runnable call(Client client, SimpleRequest request) {
    UnaryCallable<SimpleRequest, SimpleResponse> call =
        client.unary(
            "UnaryCall", Protobuf.serializer(), Protobuf.deserializer(SimpleResponse.parser()));
    return () -> call.call(request);
  }

  /** One blocking unary call with grpc-java's blocking stub. */
  private static Runnable grpcCall(ManagedChannel channel, SimpleRequest request) {
    BenchmarkServiceGrpc.BenchmarkServiceBlockingStub stub =
        BenchmarkServiceGrpc.newBlockingStub(channel);
    return () -> stub.unaryCall(request);
  }

  private static void blockingLoop(
      Runnable call, Histogram histogram, long end, CountDownLatch done) {
    try {
      while (System.nanoTime() < end) {
        long start = System.nanoTime();
        call.run();
        histogram.recordValue((System.nanoTime() - start) / 1000);
      }
    } finally {
      done.countDown();
    }
  }

  private static void unaryLoop(
      UnaryCallable<SimpleRequest, SimpleResponse> call,
      SimpleRequest request,
      Histogram histogram,
      long end,
      CountDownLatch done) {
    long start = System.nanoTime();
    call.callAsync(request)
        .whenComplete(
            (response, error) -> {
              long now = System.nanoTime();
              if (error != null) {
                System.err.println("call failed: " + error);
                done.countDown();
                return;
              }
              histogram.recordValue((now - start) / 1000);
              if (now < end) {
                unaryLoop(call, request, histogram, end, done);
              } else {
                done.countDown();
              }
            });
  }

  private static void pingPong(
      Client client, SimpleRequest request, Histogram histogram, long end, CountDownLatch done) {
    AtomicBoolean finished = new AtomicBoolean();
    long[] sentAt = new long[1];
    AtomicReference<RequestObserver<SimpleRequest>> requests = new AtomicReference<>();
    requests.set(
        client
            .<SimpleRequest, SimpleResponse>bidiStream(
                "StreamingCall",
                Protobuf.serializer(),
                Protobuf.deserializer(SimpleResponse.parser()))
            .callAsync(
                new StreamObserver<>() {
                  @Override
                  public void onNext(SimpleResponse value) {
                    long now = System.nanoTime();
                    histogram.recordValue((now - sentAt[0]) / 1000);
                    if (now < end) {
                      sentAt[0] = System.nanoTime();
                      requests.get().onNext(request);
                    } else {
                      requests.get().onCompleted();
                    }
                  }

                  @Override
                  public void onError(Throwable error) {
                    System.err.println("stream failed: " + error);
                    if (finished.compareAndSet(false, true)) {
                      done.countDown();
                    }
                  }

                  @Override
                  public void onCompleted() {
                    if (finished.compareAndSet(false, true)) {
                      done.countDown();
                    }
                  }
                }));
    sentAt[0] = System.nanoTime();
    requests.get().onNext(request);
  }

  private long print(Histogram histogram, long elapsedNanos) {
    long qps = histogram.getTotalCount() * 1_000_000_000L / elapsedNanos;
    System.out.println(
        "Channels:                       "
            + channels
            + "\nOutstanding RPCs per Channel:   "
            + outstanding
            + "\nServer Payload Size:            "
            + serverPayload
            + "\nClient Payload Size:            "
            + clientPayload
            + "\n50%ile Latency (in micros):     "
            + histogram.getValueAtPercentile(50)
            + "\n90%ile Latency (in micros):     "
            + histogram.getValueAtPercentile(90)
            + "\n99%ile Latency (in micros):     "
            + histogram.getValueAtPercentile(99)
            + "\nMaximum Latency (in micros):    "
            + histogram.getMaxValue()
            + "\nQPS:                            "
            + qps);
    return qps;
  }
}
