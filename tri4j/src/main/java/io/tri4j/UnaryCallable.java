package io.tri4j;

/**
 * A unary method of a remote service, made by {@link Client#unary}: one request in, one response
 * out.
 */
public interface UnaryCallable<Q, R> {

  /**
   * Calls the method and waits for its response.
   *
   * @throws StatusException if the call ends with a status other than {@code OK}
   */
  default R call(Q request) {
    return call(request, CallOptions.DEFAULT);
  }

  /** As {@link #call(Object)}, with a timeout and headers. */
  default R call(Q request, CallOptions options) {
    return callForResponse(request, options).message();
  }

  /**
   * Calls the method and returns the response with its headers and trailers.
   *
   * @throws StatusException if the call ends with a status other than {@code OK} (its trailers are
   *     in {@link StatusException#getTrailers()})
   */
  Response<R> callForResponse(Q request, CallOptions options);

  /**
   * Calls the method without blocking. The future completes with the response, or exceptionally
   * with a {@link StatusException}; cancelling the future cancels the call.
   */
  default java.util.concurrent.CompletableFuture<R> callAsync(Q request) {
    return callAsync(request, CallOptions.DEFAULT);
  }

  /** As {@link #callAsync(Object)}, with a timeout and headers. */
  java.util.concurrent.CompletableFuture<R> callAsync(Q request, CallOptions options);
}
