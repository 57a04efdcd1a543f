package io.tri4j;

/** An async call in progress, for cancelling it. */
@FunctionalInterface
public interface CallHandle {
  /** Cancels the call if it has not ended: the observer gets {@code onError} with CANCELLED. */
  void cancel(String reason);
}
