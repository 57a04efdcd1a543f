package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WriteQueueTest {

  /** A task that records that it ran, or that it was rejected. */
  private static final class Recording implements WriteQueue.Task {
    final String name;
    final List<String> log;

    Recording(String name, List<String> log) {
      this.name = name;
      this.log = log;
    }

    @Override
    public void run() {
      log.add(name);
    }

    @Override
    public void rejected() {
      log.add("rejected " + name);
    }
  }

  @Test
  void tasksAndCommands_runInTheOrderQueued_andEachDrainFlushesOnce() {
    AtomicInteger flushes = new AtomicInteger();
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new ChannelOutboundHandlerAdapter() {
              @Override
              public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
              }
            });
    WriteQueue queue = new WriteQueue(channel);
    List<String> log = new ArrayList<>();
    Recording stream = new Recording("stream", log);

    queue.enqueue(stream);
    queue.enqueue(() -> log.add("command"), () -> log.add("rejected command"));
    queue.enqueue(stream); // queued again before it ran: runs twice, in its places
    assertThat(log).isEmpty();
    channel.runPendingTasks();

    assertThat(log).containsExactly("stream", "command", "stream");
    assertThat(flushes).hasValue(1);

    // More than a ring's worth of commands in one turn: none lost, still in order.
    log.clear();
    flushes.set(0);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      queue.enqueue(new Recording("task " + i, log));
      expected.add("task " + i);
    }
    channel.runPendingTasks();
    assertThat(log).isEqualTo(expected);
    assertThat(flushes).as("one flush per 128 commands and one at the end").hasValue(2);
    channel.finishAndReleaseAll();
  }

  @Test
  void afterTheEventLoopShutDown_everyTaskIsRejected_once_andNoneRuns() throws Exception {
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    LocalChannel channel = new LocalChannel();
    group.register(channel).sync();
    WriteQueue queue = new WriteQueue(channel);
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();

    ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    List<String> logView = new ArrayList<>();
    int threads = 4;
    int perThread = 500;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> all = enqueueFrom(threads, perThread, queue, start, log);
    start.countDown();
    for (Thread thread : all) {
      thread.join();
    }
    logView.addAll(log);

    assertThat(logView).hasSize(threads * perThread).allMatch(s -> s.startsWith("rejected "));
    assertThat(logView).doesNotHaveDuplicates();
  }

  @Test
  void whileTheEventLoopShutsDown_everyTaskRunsOrIsRejected_once() throws Exception {
    // Whenever the shutdown falls, every task ends once: run or rejected, never both, never lost.
    // (A real loop seldom drops a drain in the last moment before it ends; the test below makes
    // that moment happen every time.)
    for (int round = 0; round < 30; round++) {
      MultiThreadIoEventLoopGroup group =
          new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
      LocalChannel channel = new LocalChannel();
      group.register(channel).sync();
      WriteQueue queue = new WriteQueue(channel);
      ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
      int threads = 2;
      int perThread = 3_000;
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> all = enqueueFrom(threads, perThread, queue, start, log);
      start.countDown();
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      for (Thread thread : all) {
        thread.join();
      }
      group.terminationFuture().sync();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (log.size() < threads * perThread && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }

      assertThat(log)
          .as("round %d: tasks that ran or were rejected", round)
          .hasSize(threads * perThread)
          .extracting(entry -> entry.substring(entry.indexOf(' ') + 1))
          .doesNotHaveDuplicates();
    }
  }

  /** A loop that, once told to, accepts tasks and never runs them, as Netty may as it ends. */
  private static final class DroppingLoop extends DefaultEventLoop {
    volatile boolean dropping;

    @Override
    public void execute(Runnable task) {
      if (!dropping) {
        super.execute(task);
      }
    }
  }

  @Test
  void aDrainTheEndingLoopDropsStillEndsItsTasks_andLaterTasksAreRejected() throws Exception {
    DroppingLoop loop = new DroppingLoop();
    LocalChannel channel = new LocalChannel();
    loop.register(channel).sync();
    WriteQueue queue = new WriteQueue(channel);
    ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    loop.dropping = true;
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);

    queue.enqueue(() -> log.add("ran first"), () -> log.add("rejected first"));
    queue.enqueue(() -> log.add("ran second"), () -> log.add("rejected second"));
    loop.terminationFuture().sync();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (log.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    queue.enqueue(() -> log.add("ran third"), () -> log.add("rejected third"));

    // The first two may be rejected by the ending loop or by the thread that enqueued them, in
    // either order; each is told once, and none runs.
    assertThat(log)
        .containsExactlyInAnyOrder("rejected first", "rejected second", "rejected third")
        .endsWith("rejected third");
  }

  /**
   * Starts {@code threads} threads that, once {@code start} opens, each give {@code queue} {@code
   * perThread} tasks, which log "ran" or "rejected" and their name ("thread/index").
   */
  private static List<Thread> enqueueFrom(
      int threads,
      int perThread,
      WriteQueue queue,
      CountDownLatch start,
      ConcurrentLinkedQueue<String> log) {
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  String name = id + "/" + i;
                  queue.enqueue(
                      new WriteQueue.Task() {
                        @Override
                        public void run() {
                          log.add("ran " + name);
                        }

                        @Override
                        public void rejected() {
                          log.add("rejected " + name);
                        }
                      });
                }
              });
      all.add(thread);
      thread.start();
    }
    return all;
  }
}
