package io.tri4j.internal.transport;

import io.tri4j.Status;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide bound on calls in progress, over every connection and protocol. Handlers that
 * block hold a thread each for as long as their call is open; past the bound, a new call is refused
 * at once with RESOURCE_EXHAUSTED instead of waiting behind them for a thread that may never come.
 */
final class CallLimit {
  private final int max;
  private final AtomicInteger inProgress = new AtomicInteger();
  private final Status exhausted;

  CallLimit(int max) {
    this.max = max;
    this.exhausted =
        Status.RESOURCE_EXHAUSTED.withDescription(
            "The server is at its limit of "
                + max
                + " calls in progress (ServerOptions.withMaxConcurrentCalls); retry later");
  }

  /** Counts a new call in, or returns false if the server is at its limit. */
  boolean tryAcquire() {
    if (max == Integer.MAX_VALUE) {
      return true;
    }
    // Optimistic: one atomic add on the common path, undone when over the bound.
    if (inProgress.incrementAndGet() > max) {
      inProgress.decrementAndGet();
      return false;
    }
    return true;
  }

  /** A call counted in by {@link #tryAcquire} ended. */
  void release() {
    if (max != Integer.MAX_VALUE) {
      inProgress.decrementAndGet();
    }
  }

  /** The status of a call refused by the limit. */
  Status exhausted() {
    return exhausted;
  }

  int inProgress() {
    return inProgress.get();
  }
}
