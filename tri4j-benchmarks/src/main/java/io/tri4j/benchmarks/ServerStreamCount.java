package io.tri4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Server-streaming throughput, the same for every client: {@code streams} calls of {@code
 * StreamingFromServer} (the server sends as fast as flow control lets it), messages counted, from
 * the first one on, over a warm-up and then a measured period, after which the calls are cancelled.
 * Prints {@code QPS:} as messages per second, in the load clients' format; there is no per-message
 * latency.
 */
final class ServerStreamCount {
  /** Starts call {@code index}, feeding {@code counter}; returns a canceller taking a reason. */
  interface Starter {
    Consumer<String> start(int index, Counter counter);
  }

  /** A response observer that only counts, for tri4j's and grpc-java's observer interfaces. */
  static final class Counter
      implements io.tri4j.StreamObserver<Object>, io.grpc.stub.StreamObserver<Object> {
    final LongAdder messages = new LongAdder();
    volatile Throwable failure;

    @Override
    public void onNext(Object value) {
      messages.increment();
    }

    @Override
    public void onError(Throwable error) {
      failure = error;
    }

    @Override
    public void onCompleted() {}
  }

  /** How long the streams may take to deliver their first message. */
  private static final int FIRST_MESSAGE_SECONDS = 30;

  private ServerStreamCount() {}

  /** Runs the streams and prints the rate; returns messages per second. */
  static long run(int streams, Starter starter, int warmupSeconds, int durationSeconds)
      throws InterruptedException {
    List<Consumer<String>> cancels = new ArrayList<>();
    Counter counter = new Counter();
    for (int i = 0; i < streams; i++) {
      cancels.add(starter.start(i, counter));
    }
    // The periods count from the first message: connecting (and a cold JVM loading the client's
    // classes) is no part of the rate, however long it takes on a busy machine.
    long firstBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(FIRST_MESSAGE_SECONDS);
    while (counter.messages.sum() == 0 && counter.failure == null && System.nanoTime() < firstBy) {
      Thread.sleep(10);
    }
    Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
    long before = counter.messages.sum();
    long start = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(durationSeconds));
    long count = counter.messages.sum() - before;
    long elapsed = System.nanoTime() - start;
    // Read before cancelling: the cancel's own CANCELLED may reach onError before the check.
    Throwable failure = counter.failure;
    cancels.forEach(c -> c.accept("benchmark over"));
    if (failure != null) {
      throw new IllegalStateException("a stream failed", failure);
    }
    long rate = count * 1_000_000_000L / elapsed;
    System.out.println(
        "Streams:                        "
            + streams
            + "\nMessages:                       "
            + count
            + "\nQPS:                            "
            + rate);
    return rate;
  }
}
