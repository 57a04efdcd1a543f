package io.tri4j.internal.call;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in the order given, on an underlying executor: the callbacks of one
 * call never overlap, whatever the executor.
 */
final class SerializingExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerializingExecutor.class);

  private final Executor delegate;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final Runnable drain = this::drain; // one per executor, not one per burst of tasks

  SerializingExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (running.compareAndSet(false, true)) {
      try {
        delegate.execute(drain);
      } catch (RejectedExecutionException e) {
        // The executor is gone (the client or server is closed): run here rather than lose them.
        drain();
      }
    }
  }

  private void drain() {
    try {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          log.warn("Callback failed", e);
        }
      }
    } finally {
      running.set(false);
      if (!tasks.isEmpty()) {
        schedule();
      }
    }
  }
}
