package io.tri4j.internal.transport;

import io.netty.channel.Channel;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands from application threads (start a stream, write a message, cancel), run in order on the
 * channel's event loop. However many are queued, they run in one event-loop task that ends with a
 * single flush, so a burst of writes costs one system call.
 */
final class WriteQueue {
  private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);
  private static final int MAX_COMMANDS_PER_FLUSH = 128;

  private final Channel channel;
  private final Queue<Runnable> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;

  WriteQueue(Channel channel) {
    this.channel = channel;
  }

  /**
   * Queues a command; it runs on the event loop, after every command queued before it.
   *
   * @throws java.util.concurrent.RejectedExecutionException if the event loop has shut down
   */
  void enqueue(Runnable command) {
    queue.add(command);
    if (scheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(drain);
    }
  }

  private void drain() {
    try {
      int n = 0;
      Runnable command;
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
      channel.flush();
      scheduled.set(false);
      if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
        channel.eventLoop().execute(drain);
      }
    }
  }
}
