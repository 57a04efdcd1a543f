package io.tri4j.internal.call;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executors that run blocking work (server handlers, request iterators): a virtual thread per
 * task where the JDK has them (21+), found at run time so the library still runs on 17; otherwise a
 * bounded pool of daemon threads.
 */
public final class CallExecutors {
  /** Threads of the fallback pool; tasks beyond them wait in its queue. */
  static final int FALLBACK_POOL_SIZE = 200;

  private CallExecutors() {}

  /** A new executor for blocking tasks; the caller shuts it down. */
  public static ExecutorService newBlockingExecutor(String name) {
    ExecutorService virtual = newVirtualThreadExecutor(name);
    if (virtual != null) {
      return virtual;
    }
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            FALLBACK_POOL_SIZE,
            FALLBACK_POOL_SIZE,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemonThreads(name));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Whether {@link #newBlockingExecutor} uses virtual threads on this JDK. */
  public static boolean virtualThreadsAvailable() {
    return Runtime.version().feature() >= 21;
  }

  private static ExecutorService newVirtualThreadExecutor(String name) {
    if (!virtualThreadsAvailable()) {
      return null;
    }
    try {
      // Thread.ofVirtual().name(name + "-", 0).factory(), then
      // Executors.newThreadPerTaskExecutor(factory): JDK 21 API, called reflectively.
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
      Object builder =
          lookup
              .findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualType))
              .invoke();
      builder =
          lookup
              .findVirtual(
                  ofVirtualType,
                  "name",
                  MethodType.methodType(ofVirtualType, String.class, long.class))
              .invoke(builder, name + "-", 0L);
      ThreadFactory factory =
          (ThreadFactory)
              lookup
                  .findVirtual(builderType, "factory", MethodType.methodType(ThreadFactory.class))
                  .invoke(builder);
      return (ExecutorService)
          lookup
              .findStatic(
                  java.util.concurrent.Executors.class,
                  "newThreadPerTaskExecutor",
                  MethodType.methodType(ExecutorService.class, ThreadFactory.class))
              .invoke(factory);
    } catch (Throwable t) {
      return null;
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger counter = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
