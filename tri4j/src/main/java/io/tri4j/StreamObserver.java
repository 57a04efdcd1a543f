package io.tri4j;

/**
 * Receives the messages of a stream as they come, for the async API: any number of {@link #onNext}
 * calls, then exactly one of {@link #onCompleted} or {@link #onError}.
 *
 * <p>tri4j calls an observer from one thread at a time, in order, and never from a network thread:
 * callbacks of one call run on the client's (or server's) executor. A slow {@code onNext} holds the
 * sender back through flow control, so it should not block for long.
 */
public interface StreamObserver<T> {
  /** The next message. */
  void onNext(T value);

  /**
   * The stream failed. For a call, the error is a {@link StatusException} with the call's status
   * and trailers.
   */
  void onError(Throwable error);

  /** The stream ended without an error; no method is called after it. */
  void onCompleted();
}
