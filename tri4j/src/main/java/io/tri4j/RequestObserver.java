package io.tri4j;

/**
 * The request side of an async client- or bidi-streaming call: {@link #onNext} sends a request,
 * {@link #onCompleted} says no more follow, {@link #onError} cancels the call.
 *
 * <h2>Flow control</h2>
 *
 * {@code onNext} never blocks: requests that the peer is not ready for wait in memory. Follow
 * {@link #isReady()} and {@link #setOnReadyHandler} to send only as fast as the peer reads.
 *
 * <p>Meant for one thread at a time.
 */
public interface RequestObserver<Q> extends StreamObserver<Q> {

  /** Whether a request sent now would go out soon, rather than wait behind flow control. */
  boolean isReady();

  /**
   * Runs {@code onReady} (on the client's executor) each time the call becomes ready again after
   * {@link #isReady()} returned false.
   */
  void setOnReadyHandler(Runnable onReady);

  /** Cancels the call: the response observer gets {@code onError} with {@code CANCELLED}. */
  void cancel(String reason);
}
