package io.tri4j;

/**
 * A server-streaming method of a remote service, made by {@link Client#serverStream}: one request
 * in, a stream of responses out.
 */
public interface ServerStreamCallable<Q, R> {

  /**
   * Sends the request and returns the responses as they arrive. Close the stream (or read it to the
   * end) to free the call.
   */
  default ResponseStream<R> call(Q request) {
    return call(request, CallOptions.DEFAULT);
  }

  /** As {@link #call(Object)}, with a timeout and headers. */
  ResponseStream<R> call(Q request, CallOptions options);

  /**
   * Sends the request without blocking; the responses go to {@code responses} on the client's
   * executor, then {@code onCompleted} or {@code onError}.
   */
  default CallHandle callAsync(Q request, StreamObserver<R> responses) {
    return callAsync(request, responses, CallOptions.DEFAULT);
  }

  /** As {@link #callAsync(Object, StreamObserver)}, with a timeout and headers. */
  CallHandle callAsync(Q request, StreamObserver<R> responses, CallOptions options);
}
