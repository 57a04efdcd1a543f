package io.tri4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps blocking calls going on several threads while something changes under them (a provider
 * leaving, say), and reports how many succeeded and what each failed one threw.
 */
public final class CallLoad {
  /** What the load saw: calls that returned, and the exceptions of those that did not. */
  public record Result(int succeeded, List<Throwable> failures) {}

  /** An action that may throw, run once in the middle of the load. */
  @FunctionalInterface
  public interface Change {
    void run() throws Exception;
  }

  private CallLoad() {}

  /**
   * Runs {@code call} in a loop on {@code threads} threads, runs {@code change} after {@code
   * beforeMillis}, lets the load go on {@code afterMillis} more, then stops it.
   */
  public static Result during(
      int threads, Runnable call, long beforeMillis, Change change, long afterMillis)
      throws Exception {
    ExecutorService load = Executors.newFixedThreadPool(threads);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        workers.add(
            load.submit(
                () -> {
                  while (running.get()) {
                    try {
                      call.run();
                      ok.incrementAndGet();
                    } catch (RuntimeException e) {
                      failures.add(e);
                    }
                  }
                }));
      }
      Thread.sleep(beforeMillis);
      change.run();
      Thread.sleep(afterMillis);
      running.set(false);
      for (Future<?> w : workers) {
        w.get(10, TimeUnit.SECONDS);
      }
    } finally {
      running.set(false);
      load.shutdownNow();
    }
    return new Result(ok.get(), List.copyOf(failures));
  }
}
