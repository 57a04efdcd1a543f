package io.tri4j;

/**
 * The response side of an async server handler: {@link #onNext} sends a response, {@link
 * #onCompleted} ends the call with {@code OK}, {@link #onError} ends it with the error's status (a
 * {@link StatusException}'s; else {@code UNKNOWN}, the error going to the server's log and not its
 * text to the client).
 *
 * <h2>Flow control</h2>
 *
 * {@code onNext} never blocks: responses the client is not ready for wait in memory. Follow {@link
 * #isReady()} and {@link #setOnReadyHandler} to send only as fast as the client reads.
 *
 * <h2>Cancellation</h2>
 *
 * If the client cancels, disconnects or its deadline passes, {@link #isCancelled()} turns true, the
 * cancel handler runs, the request observer gets {@code onError}, and later {@code onNext} calls
 * throw a {@link StatusException}.
 *
 * <p>Meant for one thread at a time.
 */
public interface ResponseObserver<R> extends StreamObserver<R> {

  /** Whether a response sent now would go out soon, rather than wait behind flow control. */
  boolean isReady();

  /**
   * Runs {@code onReady} each time the call becomes ready again after {@link #isReady()} was false.
   */
  void setOnReadyHandler(Runnable onReady);

  /** Whether the call was cancelled (by the client, a disconnect, or its deadline). */
  boolean isCancelled();

  /** Runs {@code onCancel} once if the call is cancelled. */
  void setOnCancelHandler(Runnable onCancel);
}
