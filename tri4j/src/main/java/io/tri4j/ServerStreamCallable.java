package io.tri4j;

/**
 * A server-streaming method of a remote service, made by {@link Client#serverStream}: one request
 * in, a stream of responses out.
 */
@FunctionalInterface
public interface ServerStreamCallable<Q, R> {

  /**
   * Sends the request and returns the responses as they arrive. Close the stream (or read it to the
   * end) to free the call.
   */
  ReadStream<R> call(Q request);
}
