package io.tri4j.internal.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands from application threads (start a stream, write a message, cancel), run in order on the
 * channel's event loop. However many are queued, they run in one event-loop task that ends with a
 * single flush, so a burst of writes costs one system call.
 *
 * <p>A command given on the event loop itself while nothing is queued or running may run at once
 * instead ({@link #canRunNow}): handlers on the network threads then write as they go, with the
 * same single flush after the read or turn that wrote.
 *
 * <p>Every command comes with what to do if it can never run: once the event loop has shut down,
 * the queued commands and every later one are rejected, so that no call waits for a command that
 * was silently dropped. That includes a drain scheduled while the loop was ending, which Netty
 * accepts and may then never run.
 *
 * <p>The queue is an array ring that several threads add to and the event loop takes from, so a
 * command queued costs no node; a stream queues itself ({@link Task}), so most commands cost no
 * object at all.
 */
final class WriteQueue {
  private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);
  private static final int MAX_COMMANDS_PER_FLUSH = 128;

  /**
   * The ring's size: it holds this many commands before it links another ring of this size, which
   * then replaces it; a connection keeps one (a few hundred bytes).
   */
  private static final int CHUNK = 64;

  /** Far more commands than can be queued in practice: the queue is unbounded in effect. */
  private static final int MAX_QUEUED = 1 << 30;

  /**
   * A command that is its own queue entry, such as a stream that hands over its writes to one run
   * at a time: queueing it allocates nothing.
   */
  interface Task {
    /** Runs on the event loop. */
    void run();

    /** The event loop has shut down and this task will never run; called on some other thread. */
    void rejected();
  }

  private record Command(Runnable action, Runnable onRejected) implements Task {
    @Override
    public void run() {
      action.run();
    }

    @Override
    public void rejected() {
      onRejected.run();
    }
  }

  private final Channel channel;
  private final Queue<Task> queue = PlatformDependent.newMpscQueue(CHUNK, MAX_QUEUED);
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;
  private volatile boolean dead;
  private boolean draining; // event loop only

  WriteQueue(Channel channel) {
    this.channel = channel;
  }

  /** The connection's buffer allocator (usable from any thread). */
  ByteBufAllocator alloc() {
    return channel.alloc();
  }

  /** Whether the calling thread is the channel's event loop, the one that runs the commands. */
  boolean inEventLoop() {
    return channel.eventLoop().inEventLoop();
  }

  /**
   * Whether a command may run now, on the calling thread, rather than be queued: the caller is the
   * event loop, no command queued or running would have to go before it, and the channel is open
   * (on a closing one, writes queued pile up as the stream's held bytes, so a writer looping while
   * its stream is ready sees it fill and stops). After it ran, call {@link #ranNow}.
   */
  boolean canRunNow() {
    return channel.eventLoop().inEventLoop() && !draining && queue.isEmpty() && channel.isActive();
  }

  /**
   * A command ran now ({@link #canRunNow}): what it wrote is flushed once this turn of the event
   * loop is over, together with whatever else the turn writes.
   */
  void ranNow() {
    schedule();
  }

  /**
   * Queues {@code action}; it runs on the event loop, after every command queued before it. If the
   * event loop has shut down, {@code onRejected} runs instead, on some application thread.
   */
  void enqueue(Runnable action, Runnable onRejected) {
    enqueue(new Command(action, onRejected));
  }

  /**
   * Queues {@code task}; it runs on the event loop, after every command queued before it. If the
   * event loop has shut down, it is told it was {@linkplain Task#rejected() rejected} instead, on
   * some application thread.
   */
  void enqueue(Task task) {
    if (dead) {
      task.rejected();
      return;
    }
    queue.add(task);
    schedule();
    if (dead) {
      rejectAll(); // the loop died while this command was being added
    }
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      EventLoop loop = channel.eventLoop();
      try {
        loop.execute(drain);
      } catch (RejectedExecutionException e) {
        dead = true;
        rejectAll();
        return;
      }
      if (loop.isShuttingDown()) {
        // Netty cannot take a task back from its queue: one given as the loop ends may never run,
        // and no drain would be scheduled again. Once the loop has ended, reject what is left.
        loop.terminationFuture().addListener(f -> loopEnded());
      }
    }
  }

  /** The event loop has ended: it runs no more commands, queued or to come. */
  private void loopEnded() {
    dead = true;
    rejectAll();
  }

  /**
   * Once the event loop is dead: rejects what is queued. Several application threads may find it
   * dead at once, and the queue takes one consumer at a time, so each poll holds this queue's lock
   * (no drain polls then: a thread learns the loop is dead either by winning the scheduled flag,
   * which the last drain gave up after its last poll, or from the loop's termination, after which
   * no drain runs). The rejections run outside the lock, as they call into streams and calls.
   */
  private void rejectAll() {
    Task command;
    while ((command = pollWhileDead()) != null) {
      try {
        command.rejected();
      } catch (RuntimeException e) {
        log.warn("Rejecting a transport command failed", e);
      }
    }
  }

  private synchronized Task pollWhileDead() {
    return queue.poll();
  }

  private void drain() {
    draining = true;
    try {
      int n = 0;
      Task command;
      while ((command = queue.poll()) != null) {
        try {
          command.run();
        } catch (RuntimeException e) {
          log.warn("Transport command failed", e);
        }
        if (++n == MAX_COMMANDS_PER_FLUSH) {
          channel.flush();
          n = 0;
        }
      }
    } finally {
      // Still draining while flushing: what the flush's listeners write (a writer told it may go
      // on) is queued, and the queue rescheduled below, rather than written now and not flushed.
      channel.flush();
      draining = false;
      scheduled.set(false);
      if (!queue.isEmpty()) {
        schedule();
      }
    }
  }
}
