package io.tri4j.benchmarks;

import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.Messages;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
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
    blocking = Boolean.parseBoolean(flags.getOrDefault("blocking", "false"));
    serverStreaming = Boolean.parseBoolean(flags.getOrDefault("server_streaming", "false"));
  }

  void run() throws Exception {
    if (serverStreaming) {
      runServerStreaming();
      return;
    }
    SimpleRequest request = request();
    List<Client> clients = connect();
    try {
      Histogram warmup = new ConcurrentHistogram(60_000_000L, 3);
      drive(clients, request, warmup, TimeUnit.SECONDS.toNanos(warmupSeconds));
      Histogram measured = new ConcurrentHistogram(60_000_000L, 3);
      long start = System.nanoTime();
      drive(clients, request, measured, TimeUnit.SECONDS.toNanos(durationSeconds));
      print(measured, System.nanoTime() - start);
    } finally {
      clients.forEach(Client::close);
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

  private void drive(List<Client> clients, SimpleRequest request, Histogram histogram, long nanos)
      throws InterruptedException {
    long end = System.nanoTime() + nanos;
    CountDownLatch done = new CountDownLatch(clients.size() * outstanding);
    for (Client client : clients) {
      for (int i = 0; i < outstanding; i++) {
        if (blocking) {
          callers.execute(() -> blockingLoop(client, request, histogram, end, done));
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

  private static void blockingLoop(
      Client client, SimpleRequest request, Histogram histogram, long end, CountDownLatch done) {
    UnaryCallable<SimpleRequest, SimpleResponse> call =
        client.unary(
            "UnaryCall", Protobuf.serializer(), Protobuf.deserializer(SimpleResponse.parser()));
    try {
      while (System.nanoTime() < end) {
        long start = System.nanoTime();
        call.call(request);
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

  private void print(Histogram histogram, long elapsedNanos) {
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
  }
}
