package io.tri4j.internal.call;

import io.tri4j.Status;
import io.tri4j.StatusException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where a writer waits for its stream to become ready, or for the call to end.
 *
 * <p>The lock is made by the first writer that has to wait: most calls (a unary call's one request,
 * writers that never outrun the network) never wait, and a signal with no lock yet has no one to
 * wake. No wake-up is lost: whoever signals has changed what the writer checks first, so a writer
 * that makes the lock after the signaller found none checks again under it and sees the change.
 */
final class ReadyGate {
  private static final VarHandle WAITING;
  private static final VarHandle END_STATUS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      WAITING = lookup.findVarHandle(ReadyGate.class, "waiting", Waiting.class);
      END_STATUS = lookup.findVarHandle(ReadyGate.class, "endStatus", Status.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The lock writers wait under, with its condition. */
  @SuppressWarnings("serial") // never serialized
  private static final class Waiting extends ReentrantLock {
    final Condition changed = newCondition();
  }

  private volatile Waiting waiting;
  private volatile Status endStatus;

  private Waiting waiting() {
    Waiting w = waiting;
    if (w == null) {
      w = new Waiting();
      if (!WAITING.compareAndSet(this, null, w)) {
        w = waiting; // another writer made it first
      }
    }
    return w;
  }

  /**
   * Waits until {@code ready} holds or the call ends.
   *
   * @return {@code true} if ready, {@code false} if the call ended with {@code OK}
   * @throws StatusException if the call ended with another status, or the thread was interrupted
   */
  boolean await(BooleanSupplier ready, Runnable onInterrupt) {
    if (endStatus == null && ready.getAsBoolean()) {
      return true;
    }
    Waiting lock = waiting();
    lock.lock();
    try {
      while (endStatus == null && !ready.getAsBoolean()) {
        try {
          lock.changed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          onInterrupt.run();
          throw Status.CANCELLED.withDescription("Thread interrupted while writing").asException();
        }
      }
      return checkOpen();
    } finally {
      lock.unlock();
    }
  }

  /** {@code true} while open; {@code false} after an OK end; throws after any other end. */
  boolean checkOpen() {
    Status status = endStatus;
    if (status == null) {
      return true;
    }
    if (status.isOk()) {
      return false;
    }
    throw status.asException();
  }

  /** Wakes the writers waiting, if any, to look at their stream's readiness again. */
  void signal() {
    Waiting lock = waiting;
    if (lock == null) {
      return; // none has waited: a writer that comes to wait checks readiness under the lock
    }
    lock.lock();
    try {
      lock.changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The call ended with {@code status} (the first end counts): wakes the writers waiting. */
  void end(Status status) {
    END_STATUS.compareAndSet(this, null, status);
    signal();
  }
}
