package io.tri4j.internal.call;

import io.tri4j.Status;
import io.tri4j.StatusException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/** Where a writer waits for its stream to become ready, or for the call to end. */
final class ReadyGate {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile Status endStatus;

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
    lock.lock();
    try {
      while (endStatus == null && !ready.getAsBoolean()) {
        try {
          changed.await();
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

  void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void end(Status status) {
    lock.lock();
    try {
      if (endStatus == null) {
        endStatus = status;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
