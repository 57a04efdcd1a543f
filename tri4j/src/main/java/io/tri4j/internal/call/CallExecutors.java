package io.tri4j.internal.call;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

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

  /** The JDK 17 pool for blocking tasks, on any JDK (for tests). */
  static ExecutorService newThreadPool(String name) {
    return new ElasticPool(name);
  }

  /**
   * A pool for tasks that may block, which adds threads when they would help: when a task has
   * waited {@link #WAIT_NANOS} and the machine has had CPU to spare (at least {@link #SPARE_CORES}
   * idle over a window of 100 ms begun since tasks started waiting: the threads it has are blocked,
   * on I/O or locks, not busy), as many as that CPU could keep busy, once per such window, so
   * 100–200 ms after tasks started waiting; or when nothing has finished for {@link #STALL_NANOS}
   * (every thread blocked, whatever the CPU), doubling every look. Never more than tasks wait. The
   * load is the whole machine's as the JDK reads it (its container's, in one), so a process held to
   * some of the machine's cores by affinity alone sees idle CPU it cannot use. Short tasks on a
   * busy machine keep to the {@link #MIN_THREADS} threads already awake, which take them one after
   * the other without a wake-up each: a pool that started a thread whenever a task arrived while
   * all were taken ran 190 of them for 256 calls in flight, woke one per call, and spent a fifth
   * more CPU per call. The rule is the one .NET's thread pool follows: no thread injected while the
   * CPU is saturated, unless the pool is starved. Idle threads retire after 30 seconds.
   */
  private static final class ElasticPool extends ThreadPoolExecutor {
    /** How long a task may wait before the pool looks whether to grow. */
    static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** How long the pool may go with tasks waiting and none finishing before it grows anyway. */
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** The cores the JVM may use. */
    static final int CORES = Runtime.getRuntime().availableProcessors();

    /**
     * Idle CPU, in cores, below which the machine counts as busy: more threads would only take
     * turns. Half a core, or a quarter of the cores if fewer than two: a load of 75 % on one or two
     * cores, about 97 % on sixteen.
     */
    static final double SPARE_CORES = Math.min(0.5, 0.25 * CORES);

    /** Threads started at once, whether or not they are busy. */
    static final int MIN_THREADS = Math.max(2, CORES);

    /** Looks at pools whose tasks wait: one daemon thread, awake only while tasks wait. */
    private static final ScheduledThreadPoolExecutor WATCH =
        new ScheduledThreadPoolExecutor(1, daemonThreads("tri4j-pool-watch"));

    private static final Runnable NOTHING = () -> {};

    /** Tasks accepted and not yet finished. */
    private final AtomicInteger unfinished = new AtomicInteger();

    /** Tasks queued, and taken from the queue, since the start: which queued tasks still wait. */
    private final AtomicLong queued = new AtomicLong();

    private final AtomicLong taken = new AtomicLong();

    /** New threads a look granted that the queue has not yet refused tasks for. */
    private final AtomicInteger grants = new AtomicInteger();

    private final AtomicBoolean watching = new AtomicBoolean();
    private volatile long queuedWhenWatched;
    private volatile long lastFinished = System.nanoTime();

    /**
     * The start of the CPU-load window whose reading the pool last grew on: each reading grows it
     * once at most.
     */
    private volatile long grewOnWindow = Long.MIN_VALUE;

    /** When the watch now going on was set. */
    private volatile long watchedAt;

    /**
     * Since when tasks have waited long, look after look; {@link Long#MAX_VALUE} while they do not.
     * A load reading counts only if its window began after that: an earlier one tells of the time
     * before the tasks came.
     */
    private volatile long waitingSince = Long.MAX_VALUE;

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
      lastFinished = System.nanoTime();
      unfinished.decrementAndGet();
    }

    /** Whether a task arriving now gets a new thread rather than a place in the queue. */
    boolean grow() {
      int threads = getPoolSize();
      if (threads >= getMaximumPoolSize() || unfinished.get() <= threads) {
        return false; // a thread is free, or none may be added
      }
      if (threads < MIN_THREADS) {
        return true;
      }
      int granted = grants.get();
      return granted > 0 && grants.compareAndSet(granted, granted - 1);
    }

    /** A task was queued: have the queue looked at in {@link #WAIT_NANOS}, unless it will be. */
    void watch() {
      if (watching.compareAndSet(false, true)) {
        queuedWhenWatched = queued.get();
        watchedAt = System.nanoTime();
        try {
          WATCH.schedule(this::look, WAIT_NANOS, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          watching.set(false); // not expected: the watch is never shut down
        }
      }
    }

    /**
     * How many threads the idle CPU of the latest load reading could keep busy, if the threads the
     * pool has (all busy, as tasks wait) use the CPU that is busy: none if under {@link
     * #SPARE_CORES} are idle, or if this reading already grew the pool. If the runtime cannot read
     * the load, doubles: the safe side for handlers that block.
     */
    private int threadsForSpareCpu(int threads) {
      double load = CpuLoad.load();
      long window = CpuLoad.windowStart();
      if (Double.isNaN(load) || window == grewOnWindow || window - waitingSince < 0) {
        return 0;
      }
      grewOnWindow = window;
      if (load < 0) {
        return Math.max(1, threads);
      }
      double idle = (1 - load) * CORES;
      if (idle < SPARE_CORES) {
        return 0;
      }
      double busy = Math.max(load * CORES, 0.05);
      return (int) Math.ceil(Math.max(1, threads) * idle / busy);
    }

    /** Whether a task queued before the watch was set still waits: it has waited a while. */
    private boolean waitedLong() {
      return taken.get() < queuedWhenWatched;
    }

    private void look() {
      boolean waitedLong = waitedLong();
      watching.set(false);
      if (isShutdown() || getQueue().isEmpty()) {
        return;
      }
      int threads = getPoolSize();
      int more = 0;
      if (!waitedLong) {
        waitingSince = Long.MAX_VALUE;
      } else if (waitingSince == Long.MAX_VALUE) {
        waitingSince = watchedAt;
      }
      if (waitedLong) {
        more =
            System.nanoTime() - lastFinished > STALL_NANOS
                ? Math.max(1, threads) // every thread blocked: double, whatever the CPU
                : threadsForSpareCpu(threads);
        more = Math.min(Math.min(getQueue().size(), more), getMaximumPoolSize() - threads);
      }
      if (more > 0) {
        grants.set(more);
        for (int i = 0; i < more; i++) {
          try {
            execute(NOTHING); // refused by the queue while grants last: a new thread takes it
          } catch (RejectedExecutionException e) {
            return; // shut down meanwhile
          }
        }
        grants.set(0);
      }
      watch();
    }
  }

  /**
   * The machine's CPU load over its latest window of about 100 ms: the kernel counts CPU time in
   * ticks of 10 ms, so a shorter window reads a saturated machine as half idle now and then (one
   * reading in thirty at 10 ms, measured under h2load), and a pool that grew on such readings grew
   * without end.
   */
  private static final class CpuLoad {
    private static final long EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final DoubleSupplier READER = reader();
    private static volatile long readAt = System.nanoTime(); // when the current window began
    private static volatile long windowStart = readAt; // when the window of load began

    /** No reading yet: the first one measures from the start below. */
    private static volatile double load = Double.NaN;

    static {
      if (READER != null) {
        READER.getAsDouble(); // starts the first window; its own value covers no time to speak of
      }
    }

    private CpuLoad() {}

    /** The JDK's reader of the CPU load, or null on a runtime without {@code jdk.management}. */
    private static DoubleSupplier reader() {
      try {
        java.lang.management.OperatingSystemMXBean os =
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
          return ((com.sun.management.OperatingSystemMXBean) os)::getCpuLoad;
        }
      } catch (LinkageError | RuntimeException e) {
        // a runtime image without the management modules: the load is unknown
      }
      return null;
    }

    /**
     * The load (0 to 1) over the latest full window, reading a new window if that one is over; NaN
     * before the first window ends; negative if the runtime cannot tell.
     */
    static double load() {
      if (READER == null) {
        return -1;
      }
      long now = System.nanoTime();
      if (now - readAt >= EVERY_NANOS) {
        windowStart = readAt;
        readAt = now;
        load = READER.getAsDouble();
      }
      return load;
    }

    /**
     * When the window of the latest reading began ({@link System#nanoTime}): a new value means a
     * new reading. Without a reader, the start of the current 100 ms, so that the pool still grows
     * once per window.
     */
    static long windowStart() {
      if (READER == null) {
        long now = System.nanoTime();
        return now - Math.floorMod(now, EVERY_NANOS);
      }
      return windowStart;
    }
  }

  private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;
    transient ElasticPool pool;

    @Override
    public boolean offer(Runnable task) {
      if (pool.grow()) {
        return false; // the pool adds a thread for it
      }
      if (!super.offer(task)) {
        return false;
      }
      pool.queued.incrementAndGet();
      pool.watch();
      return true;
    }

    void force(Runnable task) {
      super.offer(task);
      pool.queued.incrementAndGet();
      pool.watch();
    }

    @Override
    public Runnable take() throws InterruptedException {
      Runnable task = super.take();
      pool.taken.incrementAndGet();
      return task;
    }

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
      Runnable task = super.poll(timeout, unit);
      if (task != null) {
        pool.taken.incrementAndGet();
      }
      return task;
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
