package io.tri4j.internal.call;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executors that run blocking work (server handlers, request iterators): a virtual thread per
 * task where the JDK has them (21+), found at run time so the library still runs on 17; otherwise a
 * bounded pool of daemon threads. Callbacks of async client calls and async server handlers, which
 * should not block, have their own: virtual threads too on 21+, a work-stealing pool of one thread
 * per core (at least two) on 17.
 */
public final class CallExecutors {
  /**
   * Most threads of the fallback pool. Blocking streaming handlers hold a thread for as long as
   * their call is open, so the bound is generous; tasks beyond it wait in the queue.
   */
  static final int FALLBACK_POOL_SIZE = 2048;

  private CallExecutors() {}

  /** A new executor for blocking tasks; the caller shuts it down. */
  public static ExecutorService newBlockingExecutor(String name) {
    ExecutorService virtual = newVirtualThreadExecutor(name);
    if (virtual != null) {
      return virtual;
    }
    return new ElasticPool(name);
  }

  /**
   * A new executor for short callbacks; the caller shuts it down. On JDK 17, a {@link ForkJoinPool}
   * in FIFO mode, one daemon thread per core (at least two, with the creating thread's context
   * class loader): a burst of callbacks runs on threads that are already awake, where a pool of
   * blocking threads would wake (and then park) a thread per callback. A callback that blocks holds
   * one of those threads; waits on a {@code CompletableFuture} are compensated by the pool with a
   * spare thread, other blocking is not.
   */
  public static ExecutorService newCallbackExecutor(String name) {
    ExecutorService virtual = newVirtualThreadExecutor(name);
    if (virtual != null) {
      return virtual;
    }
    AtomicInteger counter = new AtomicInteger();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    ForkJoinPool.ForkJoinWorkerThreadFactory factory =
        pool -> {
          // Not the default factory: on JDK 17 its threads get the system class loader, where
          // application code (ServiceLoader, fat jars) expects the one of the thread that made us.
          ForkJoinWorkerThread t = new ForkJoinWorkerThread(pool) {};
          t.setName(name + "-" + counter.incrementAndGet());
          t.setDaemon(true);
          t.setContextClassLoader(loader);
          return t;
        };
    return new ForkJoinPool(
        Math.max(2, Runtime.getRuntime().availableProcessors()), factory, null, true);
  }

  /**
   * Where the runs of a call's callbacks go when the call's executor refuses them (it was shut
   * down, or is full): two daemon threads shared by the process, made when first needed and gone
   * after ten idle seconds. The callbacks still run, in order, and never on the network thread that
   * gave them.
   */
  static Executor refusedRuns() {
    return RefusedRuns.EXECUTOR;
  }

  private static final class RefusedRuns {
    static final ThreadPoolExecutor EXECUTOR =
        new ThreadPoolExecutor(
            2,
            2,
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemonThreads("tri4j-refused-callbacks"));

    static {
      EXECUTOR.allowCoreThreadTimeOut(true);
    }
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

  /**
   * A pool that starts a new thread, up to its maximum, whenever every thread is taken, and queues
   * tasks only once it is full; idle threads retire after 30 seconds. (A plain pool with a queue
   * stays at its core size; a core size at the maximum starts a thread per task even when threads
   * are idle.)
   */
  private static final class ElasticPool extends ThreadPoolExecutor {
    /** Tasks accepted and not yet finished: the pool grows while they outnumber its threads. */
    private final AtomicInteger unfinished = new AtomicInteger();

    ElasticPool(String name) {
      super(0, FALLBACK_POOL_SIZE, 30, TimeUnit.SECONDS, new GrowFirstQueue(), daemonThreads(name));
      ((GrowFirstQueue) getQueue()).pool = this;
      setRejectedExecutionHandler(
          (task, executor) -> {
            if (executor.isShutdown()) {
              throw new RejectedExecutionException("Executor is shut down");
            }
            ((GrowFirstQueue) getQueue()).force(task);
          });
    }

    @Override
    public void execute(Runnable task) {
      unfinished.incrementAndGet();
      try {
        super.execute(task);
      } catch (RuntimeException e) {
        unfinished.decrementAndGet();
        throw e;
      }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable t) {
      unfinished.decrementAndGet();
    }

    boolean allThreadsTaken() {
      return unfinished.get() > getPoolSize() && getPoolSize() < getMaximumPoolSize();
    }
  }

  private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;
    transient ElasticPool pool;

    @Override
    public boolean offer(Runnable task) {
      return !pool.allThreadsTaken() && super.offer(task); // false makes the pool add a thread
    }

    void force(Runnable task) {
      super.offer(task);
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
