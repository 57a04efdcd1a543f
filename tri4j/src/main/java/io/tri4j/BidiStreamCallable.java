package io.tri4j;

import java.util.Iterator;

/**
 * A bidirectional-streaming method of a remote service, made by {@link Client#bidiStream}: a stream
 * of requests in, a stream of responses out, both open at once.
 */
public interface BidiStreamCallable<Q, R> {

  /**
   * Starts the call and returns its responses at once, while a background thread writes every
   * request of {@code requests} in order and then says it is done. The iterator may block to wait
   * for responses (ping-pong). If it throws, the call is cancelled and reading the responses throws
   * a {@link StatusException} with code {@code CANCELLED}.
   */
  default ResponseStream<R> call(Iterator<? extends Q> requests) {
    return call(requests, CallOptions.DEFAULT);
  }

  /** As {@link #call(Iterator)}, with a timeout and headers. */
  ResponseStream<R> call(Iterator<? extends Q> requests, CallOptions options);

  /** As {@link #call(Iterator)}, with the requests of an {@link Iterable}. */
  default ResponseStream<R> call(Iterable<? extends Q> requests) {
    return call(requests.iterator(), CallOptions.DEFAULT);
  }

  /** As {@link #call(Iterable)}, with a timeout and headers. */
  default ResponseStream<R> call(Iterable<? extends Q> requests, CallOptions options) {
    return call(requests.iterator(), options);
  }

  /** Starts the call with no requests written: write, read and say done in any order. */
  default StreamingCall<Q, R> call() {
    return call(CallOptions.DEFAULT);
  }

  /** As {@link #call()}, with a timeout and headers. */
  StreamingCall<Q, R> call(CallOptions options);

  /**
   * Starts the call without blocking: send requests through the returned observer; responses go to
   * {@code responses} on the client's executor as they arrive.
   */
  default RequestObserver<Q> callAsync(StreamObserver<R> responses) {
    return callAsync(responses, CallOptions.DEFAULT);
  }

  /** As {@link #callAsync(StreamObserver)}, with a timeout and headers. */
  RequestObserver<Q> callAsync(StreamObserver<R> responses, CallOptions options);
}
