package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CallExecutorsTest {

  private static boolean isVirtual(Thread thread) throws Exception {
    if (Runtime.version().feature() < 21) {
      return false;
    }
    return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
  }

  /** The executor's threads: daemon, named after it, virtual exactly when the JDK has them. */
  private static void assertWorkerThreads(ExecutorService executor, String name) throws Exception {
    try {
      Thread worker = executor.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
      assertThat(isVirtual(worker)).isEqualTo(Runtime.version().feature() >= 21);
      assertThat(worker.isDaemon()).isTrue();
      assertThat(worker.getName()).startsWith(name + "-");
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void newBlockingExecutor_usesVirtualThreadsExactlyWhenTheJdkHasThem() throws Exception {
    assertWorkerThreads(CallExecutors.newBlockingExecutor("test"), "test");
  }

  @Test
  void newBlockingExecutor_runsManyBlockedTasksAtOnce() throws Exception {
    // Blocking streaming handlers hold their thread: 500 of them must all be running together.
    ExecutorService executor = CallExecutors.newBlockingExecutor("test");
    CountDownLatch allStarted = new CountDownLatch(500);
    CountDownLatch release = new CountDownLatch(1);
    List<Future<?>> tasks = new ArrayList<>();
    try {
      for (int i = 0; i < 500; i++) {
        tasks.add(
            executor.submit(
                () -> {
                  allStarted.countDown();
                  release.await();
                  return null;
                }));
      }
      assertThat(allStarted.await(20, TimeUnit.SECONDS)).isTrue();
      release.countDown();
      for (Future<?> task : tasks) {
        task.get(10, TimeUnit.SECONDS);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  /** A task that may be interrupted, as blocking handlers are. */
  @FunctionalInterface
  private interface Blocking {
    void run() throws InterruptedException;
  }

  /** Gives {@code pool} {@code count} copies of {@code task}; an interrupt ends a copy quietly. */
  private static void submit(ExecutorService pool, int count, Blocking task) {
    for (int i = 0; i < count; i++) {
      pool.execute(
          () -> {
            try {
              task.run();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
  }

  @Test
  void threadPool_tasksThatWaitForEachOther_allGetAThread() throws Exception {
    // Every task waits until all have started: the pool must grow to 300 threads.
    ExecutorService pool = CallExecutors.newThreadPool("test");
    CountDownLatch allStarted = new CountDownLatch(300);
    CountDownLatch done = new CountDownLatch(300);
    try {
      submit(
          pool,
          300,
          () -> {
            allStarted.countDown();
            if (allStarted.await(20, TimeUnit.SECONDS)) {
              done.countDown();
            }
          });
      assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  /** How long a new pool takes to run {@code count} tasks that each sleep {@code millis}. */
  private static Duration timeToRunSleeping(int count, long millis) throws Exception {
    ExecutorService pool = CallExecutors.newThreadPool("test");
    CountDownLatch done = new CountDownLatch(count);
    long start = System.nanoTime();
    try {
      submit(
          pool,
          count,
          () -> {
            Thread.sleep(millis);
            done.countDown();
          });
      assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
      return Duration.ofNanos(System.nanoTime() - start);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void threadPool_tasksBlockedOnIo_getThreadsSoon_notOneAfterTheOther() throws Exception {
    // 64 tasks of 200 ms each, as handlers waiting on a database: one after the other on two
    // threads they would take 6.4 s; the pool grows within milliseconds instead.
    assertThat(timeToRunSleeping(64, 200)).isLessThan(Duration.ofMillis(1500));
  }

  @Test
  void threadPool_manyShortBlockingTasks_getThreadsOnTheIdleCpu() throws Exception {
    // 100 tasks of 20 ms for each thread the pool starts with, as handlers making a short database
    // call: tasks keep finishing, so the pool is never stalled, but the CPU is idle. On the
    // threads it starts with they would take 2 s.
    int count = 100 * Math.max(2, Runtime.getRuntime().availableProcessors());
    assertThat(timeToRunSleeping(count, 20)).isLessThan(Duration.ofMillis(1200));
  }

  @Test
  void threadPool_busyTasksKeepingEveryCoreBusy_getNoMoreThreads() throws Exception {
    // Tasks that use the CPU, and enough of them queued that each waits well over 2 ms, for two
    // seconds: every core is busy, so more threads would only take turns with these.
    ThreadPoolExecutor pool = (ThreadPoolExecutor) CallExecutors.newThreadPool("test");
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    try {
      while (System.nanoTime() < end) {
        while (pool.getQueue().size() < 16 * threads) {
          pool.execute(
              () -> {
                long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(500);
                while (System.nanoTime() < until) {
                  Thread.onSpinWait();
                }
              });
        }
        Thread.sleep(1);
      }
      // A pause of the whole JVM (a collection, a stolen CPU) over 50 ms may look like a stall,
      // which doubles the pool once; growing on the busy CPU, it reached 22 threads.
      assertThat(pool.getLargestPoolSize()).isLessThanOrEqualTo(3 * threads);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void threadPool_oneLateTaskWhileEveryThreadIsBlocked_stillRuns() throws Exception {
    ExecutorService pool = CallExecutors.newThreadPool("test");
    CountDownLatch release = new CountDownLatch(1);
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    try {
      submit(pool, threads, release::await);
      CountDownLatch late = new CountDownLatch(1);
      pool.execute(late::countDown);
      assertThat(late.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void newCallbackExecutor_daemonThreadsNamed_virtualExactlyWhenTheJdkHasThem() throws Exception {
    assertWorkerThreads(CallExecutors.newCallbackExecutor("cb"), "cb");
  }

  @Test
  void newCallbackExecutor_threadsKeepTheCreatorsContextClassLoader() throws Exception {
    ClassLoader own = new ClassLoader(getClass().getClassLoader()) {};
    Thread creator = Thread.currentThread();
    ClassLoader before = creator.getContextClassLoader();
    creator.setContextClassLoader(own);
    ExecutorService executor;
    try {
      executor = CallExecutors.newCallbackExecutor("cb");
    } finally {
      creator.setContextClassLoader(before);
    }
    try {
      ClassLoader seen =
          executor
              .submit(() -> Thread.currentThread().getContextClassLoader())
              .get(5, TimeUnit.SECONDS);
      // A virtual thread (JDK 21+) takes the loader of the thread that submits the task.
      assertThat(seen).isSameAs(Runtime.version().feature() < 21 ? own : before);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void newCallbackExecutor_callbacksWaitingOnFutures_doNotStarveTheOneThatCompletesThem()
      throws Exception {
    // More waiting callbacks than the pool has threads; the callback they wait for comes last.
    ExecutorService executor = CallExecutors.newCallbackExecutor("cb");
    CompletableFuture<String> later = new CompletableFuture<>();
    int waiters = 4 * Math.max(2, Runtime.getRuntime().availableProcessors());
    CountDownLatch done = new CountDownLatch(waiters);
    try {
      for (int i = 0; i < waiters; i++) {
        executor.execute(
            () -> {
              try {
                later.get(20, TimeUnit.SECONDS);
                done.countDown();
              } catch (Exception e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      executor.execute(() -> later.complete("done"));
      assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      executor.shutdownNow();
    }
  }
}
