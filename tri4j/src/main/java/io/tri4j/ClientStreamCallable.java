package io.tri4j;

import java.util.Iterator;

/**
 * A client-streaming method of a remote service, made by {@link Client#clientStream}: a stream of
 * requests in, one response out.
 */
public interface ClientStreamCallable<Q, R> {

  /**
   * Writes every request of {@code requests} in order on the calling thread, says it is done, and
   * waits for the response.
   *
   * @throws StatusException if the call ends with a status other than {@code OK}
   */
  default R call(Iterator<? extends Q> requests) {
    return call(requests, CallOptions.DEFAULT);
  }

  /** As {@link #call(Iterator)}, with a timeout and headers. */
  R call(Iterator<? extends Q> requests, CallOptions options);

  /** As {@link #call(Iterator)}, with the requests of an {@link Iterable}. */
  default R call(Iterable<? extends Q> requests) {
    return call(requests.iterator(), CallOptions.DEFAULT);
  }

  /** As {@link #call(Iterable)}, with a timeout and headers. */
  default R call(Iterable<? extends Q> requests, CallOptions options) {
    return call(requests.iterator(), options);
  }

  /**
   * Starts the call with no requests written: {@link StreamingCall#write} them, then {@link
   * StreamingCall#doneWriting()}, then {@link StreamingCall#read()} the response.
   */
  default StreamingCall<Q, R> call() {
    return call(CallOptions.DEFAULT);
  }

  /** As {@link #call()}, with a timeout and headers. */
  StreamingCall<Q, R> call(CallOptions options);

  /**
   * Starts the call without blocking: send requests through the returned observer and finish with
   * {@code onCompleted}; the one response goes to {@code response} on the client's executor.
   */
  default RequestObserver<Q> callAsync(StreamObserver<R> response) {
    return callAsync(response, CallOptions.DEFAULT);
  }

  /** As {@link #callAsync(StreamObserver)}, with a timeout and headers. */
  RequestObserver<Q> callAsync(StreamObserver<R> response, CallOptions options);
}
