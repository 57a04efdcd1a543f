package io.tri4j.examples;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the example server runs its handlers, as {@code --executor} names it: {@code direct} on the
 * network threads (no hand-off: fastest, for handlers that never block), {@code pool} on a pool of
 * platform threads, {@code virtual} on a virtual thread per call (JDK 21+).
 */
final class HandlerExecutor {
  static final String CHOICES = "direct, pool or virtual";

  private HandlerExecutor() {}

  /**
   * The executor {@code name} names for a JVM of feature version {@code javaVersion}.
   *
   * @throws IllegalArgumentException for an unknown name, or {@code virtual} before JDK 21
   */
  static Executor named(String name, int javaVersion) {
    return switch (name) {
      case "direct" -> Runnable::run;
      // Grows with the calls that block, which the server bounds (maxConcurrentCalls).
      case "pool" -> Executors.newCachedThreadPool(daemonThreads());
      case "virtual" -> {
        if (javaVersion < 21) {
          throw new IllegalArgumentException(
              "--executor virtual needs JDK 21 or later; this is JDK "
                  + javaVersion
                  + ". Use --executor pool or direct.");
        }
        yield newVirtualThreadPerTaskExecutor();
      }
      default ->
          throw new IllegalArgumentException(
              "--executor must be " + CHOICES + ", not '" + name + "'");
    };
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, "greeter-handler-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** {@code Executors.newVirtualThreadPerTaskExecutor()}, JDK 21 API called from code for 17. */
  private static ExecutorService newVirtualThreadPerTaskExecutor() {
    try {
      return (ExecutorService)
          MethodHandles.publicLookup()
              .findStatic(
                  Executors.class,
                  "newVirtualThreadPerTaskExecutor",
                  MethodType.methodType(ExecutorService.class))
              .invoke();
    } catch (Throwable e) {
      throw new IllegalStateException("This JDK has no virtual threads", e);
    }
  }
}
