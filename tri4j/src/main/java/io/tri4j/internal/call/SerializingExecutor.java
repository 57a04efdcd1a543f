package io.tri4j.internal.call;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in the order given, on an underlying executor: the callbacks of one
 * call never overlap, whatever the executor.
 *
 * <p>A task given while none runs or waits is handed to the run directly, not queued: a call's
 * callbacks mostly come one at a time (a streaming call's start, its requests, its half-close; a
 * single-request call's one run), so most cost no queue node. A task that must wait is pushed on a
 * stack that the run takes whole and reverses, so the tasks still run in the order given; a {@link
 * LinkedTask} is its own link, so waiting costs it nothing.
 *
 * <p>If the executor refuses a run (it is shut down, or full), the run goes to {@link
 * CallExecutors#refusedRuns()}, never to the thread that gave the task: that is often a network
 * thread, where handler or application code must not run.
 *
 * <p>The run is this object itself, also a {@link ForkJoinTask} that never completes (as {@code
 * CompletableFuture}'s async tasks are), so that a {@link ForkJoinPool} takes it as it is, again
 * and again, instead of wrapping each run in a task of its own. Nothing joins or cancels it; as a
 * {@code Future} it is never done, so an executor that waits for the futures it runs must not be
 * given as a call executor.
 */
@SuppressWarnings("serial") // a ForkJoinTask by type, never serialized
final class SerializingExecutor extends ForkJoinTask<Void> implements Executor, Runnable {
  private static final Logger log = LoggerFactory.getLogger(SerializingExecutor.class);
  private static final VarHandle RUNNING;
  private static final VarHandle WAITING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      RUNNING = lookup.findVarHandle(SerializingExecutor.class, "running", boolean.class);
      WAITING = lookup.findVarHandle(SerializingExecutor.class, "waiting", LinkedTask.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * A task that is its own link among the waiting tasks, so that waiting costs it no node. Each is
   * given once: a task given again before it ran would break the links.
   */
  abstract static class LinkedTask implements Runnable {
    /** The task pushed before it, while it waits; the next to run, once the run took it. */
    private LinkedTask next;
  }

  /** A plain {@code Runnable} that must wait. */
  private static final class Wrapped extends LinkedTask {
    private final Runnable task;

    Wrapped(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      task.run();
    }
  }

  private final Executor delegate;

  /** The tasks waiting for the run, newest first; null while none waits. */
  @SuppressWarnings("unused") // through WAITING
  private volatile LinkedTask waiting;

  /** Whether a run is scheduled or going on; set by whoever schedules it, cleared by the run. */
  @SuppressWarnings("unused") // through RUNNING
  private volatile boolean running;

  /**
   * The task to run before the queued ones; set only by the thread that scheduled the run, before
   * it handed the run over, and read by the run.
   */
  private Runnable first;

  SerializingExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    if (RUNNING.compareAndSet(this, false, true)) {
      if (noneWaiting()) {
        first = task; // nothing given earlier waits: this task goes first
      } else {
        push(task);
      }
      start();
    } else {
      push(task);
      schedule(); // in case the run ended while this task was being added
    }
  }

  /**
   * Gives a call's first task, which must not run anywhere but on the executor: if the executor
   * refuses it, nothing runs and the refusal is thrown, so that the caller can end the call. Tasks
   * given meanwhile (on other threads) still run, after this one would have.
   *
   * @throws RejectedExecutionException if the executor refused the task
   */
  void executeFirst(Runnable task) {
    if (!RUNNING.compareAndSet(this, false, true)) {
      execute(task); // not the first after all: it runs in its turn
      return;
    }
    if (!noneWaiting()) {
      push(task);
      start();
      return;
    }
    first = task;
    try {
      delegate.execute(this);
    } catch (RejectedExecutionException e) {
      first = null;
      running = false;
      if (!noneWaiting()) {
        schedule();
      }
      throw e;
    }
  }

  private void push(Runnable task) {
    LinkedTask node = task instanceof LinkedTask t ? t : new Wrapped(task);
    LinkedTask top;
    do {
      top = waiting;
      node.next = top; // published by the exchange below
    } while (!WAITING.compareAndSet(this, top, node));
  }

  private boolean noneWaiting() {
    return waiting == null;
  }

  /** Takes every waiting task, oldest first, linked by {@code next}; null if none waits. */
  private LinkedTask takeWaiting() {
    LinkedTask newestFirst = (LinkedTask) WAITING.getAndSet(this, null);
    LinkedTask oldestFirst = null;
    while (newestFirst != null) {
      LinkedTask next = newestFirst.next;
      newestFirst.next = oldestFirst;
      oldestFirst = newestFirst;
      newestFirst = next;
    }
    return oldestFirst;
  }

  private void schedule() {
    if (RUNNING.compareAndSet(this, false, true)) {
      start();
    }
  }

  private void start() {
    try {
      delegate.execute(this);
    } catch (RejectedExecutionException e) {
      // The executor is gone (the client or server is closed) or full: run on a thread of our own
      // rather than lose the tasks, or run application code on the giver's (network) thread.
      CallExecutors.refusedRuns().execute(this);
    }
  }

  // ---- ForkJoinTask: how a ForkJoinPool runs this run ----

  @Override
  public Void getRawResult() {
    return null;
  }

  @Override
  protected void setRawResult(Void value) {}

  /**
   * Runs the run and reports it never complete, so that the pool runs it again when it is given
   * again; nothing escapes, as a task that threw would be complete for good.
   */
  @Override
  protected boolean exec() {
    try {
      run();
    } catch (Throwable e) { // even one thrown sneakily
      log.warn("Callback run failed", e);
    }
    return false;
  }

  /** The run: the first task, then every queued one. */
  @Override
  public void run() {
    try {
      Runnable task = first;
      first = null;
      LinkedTask taken = null; // taken from the waiting ones, still to run, oldest first
      while (true) {
        if (task == null) {
          if (taken == null && (taken = takeWaiting()) == null) {
            break;
          }
          task = taken;
          taken = taken.next;
          ((LinkedTask) task).next = null; // nothing kept alive through a task that ran
        }
        try {
          task.run();
        } catch (Throwable e) { // even one thrown sneakily: the tasks taken must still run
          log.warn("Callback failed", e);
        }
        task = null;
      }
    } finally {
      running = false;
      if (!noneWaiting()) {
        schedule();
      }
    }
  }
}
