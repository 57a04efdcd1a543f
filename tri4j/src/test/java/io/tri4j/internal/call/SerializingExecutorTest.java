package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerializingExecutorTest {

  @Test
  void directExecutor_taskGivenByATask_runsAfterIt_notInsideIt() {
    SerializingExecutor executor = new SerializingExecutor(Runnable::run);
    List<String> events = new ArrayList<>();
    executor.execute(
        () -> {
          events.add("outer start");
          executor.execute(() -> events.add("inner"));
          events.add("outer end");
        });
    executor.execute(() -> events.add("next"));

    assertThat(events).containsExactly("outer start", "outer end", "inner", "next");
  }

  @Test
  void pool_tasksFromManyThreads_neverOverlap_andEachThreadsRunInItsOrder() throws Exception {
    manyThreadsNeverOverlap(Executors.newFixedThreadPool(4));
  }

  /** A ForkJoinPool runs the executor itself as its task, again and again. */
  @Test
  void forkJoinPool_tasksFromManyThreads_neverOverlap_andEachThreadsRunInItsOrder()
      throws Exception {
    manyThreadsNeverOverlap(new ForkJoinPool(4));
  }

  @Test
  void forkJoinPool_runsOneAfterAnother_eachRun() throws Exception {
    ForkJoinPool pool = new ForkJoinPool(2);
    try {
      SerializingExecutor executor = new SerializingExecutor(pool);
      AtomicInteger ran = new AtomicInteger();
      for (int i = 0; i < 1_000; i++) {
        CountDownLatch done = new CountDownLatch(1);
        executor.execute(
            () -> {
              ran.incrementAndGet();
              done.countDown();
            });
        assertThat(done.await(10, TimeUnit.SECONDS)).as("run %d", i).isTrue();
      }
      assertThat(ran).hasValue(1_000);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void manyThreadsNeverOverlap(ExecutorService pool) throws Exception {
    ExecutorService givers = Executors.newFixedThreadPool(4);
    try {
      SerializingExecutor executor = new SerializingExecutor(pool);
      int perThread = 20_000;
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      int[] lastSeen = new int[4]; // written only by the serialized tasks
      AtomicInteger outOfOrder = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(4 * perThread);
      for (int t = 0; t < 4; t++) {
        int giver = t;
        givers.execute(
            () -> {
              for (int i = 1; i <= perThread; i++) {
                int n = i;
                Runnable task =
                    () -> {
                      if (inside.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                      }
                      if (lastSeen[giver] != n - 1) {
                        outOfOrder.incrementAndGet();
                      }
                      lastSeen[giver] = n;
                      inside.decrementAndGet();
                      done.countDown();
                    };
                // Half the givers give tasks that are their own links, half plain Runnables.
                executor.execute(
                    giver % 2 == 0
                        ? task
                        : new SerializingExecutor.LinkedTask() {
                          @Override
                          public void run() {
                            task.run();
                          }
                        });
              }
            });
      }

      assertThat(done.await(30, TimeUnit.SECONDS)).as("every task ran").isTrue();
      assertThat(overlaps).hasValue(0);
      assertThat(outOfOrder).hasValue(0);
    } finally {
      givers.shutdownNow();
      pool.shutdownNow();
    }
  }

  @Test
  void executorShutDown_tasksStillRunInOrder_onAThreadOfTheirOwn_notTheCallers() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    pool.shutdown();
    SerializingExecutor executor = new SerializingExecutor(pool);
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(2);

    executor.execute(
        () -> {
          ran.add("first on " + Thread.currentThread().getName());
          done.countDown();
        });
    executor.execute(
        () -> {
          ran.add("second");
          done.countDown();
        });

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).hasSize(2);
    assertThat(ran.get(0)).startsWith("first on tri4j-refused-callbacks-");
    assertThat(ran.get(1)).isEqualTo("second");
  }

  @Test
  void executeFirst_refused_runsNothing_andThrows() {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    pool.shutdown();
    SerializingExecutor executor = new SerializingExecutor(pool);
    List<String> ran = new CopyOnWriteArrayList<>();

    assertThatThrownBy(() -> executor.executeFirst(() -> ran.add("start")))
        .isInstanceOf(RejectedExecutionException.class);
    assertThat(ran).isEmpty();
  }

  @Test
  void executeFirst_accepted_runsBeforeTasksGivenAfterIt() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      SerializingExecutor executor = new SerializingExecutor(pool);
      List<String> ran = new CopyOnWriteArrayList<>();
      CountDownLatch done = new CountDownLatch(1);
      executor.executeFirst(() -> ran.add("start"));
      executor.execute(
          () -> {
            ran.add("next");
            done.countDown();
          });
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(ran).containsExactly("start", "next");
    } finally {
      pool.shutdownNow();
    }
  }
}
