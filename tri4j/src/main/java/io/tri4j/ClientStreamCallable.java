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
  R call(Iterator<? extends Q> requests);

  /** As {@link #call(Iterator)}, with the requests of an {@link Iterable}. */
  default R call(Iterable<? extends Q> requests) {
    return call(requests.iterator());
  }

  /**
   * Starts the call with no requests written: {@link StreamingCall#write} them, then {@link
   * StreamingCall#doneWriting()}, then {@link StreamingCall#read()} the response.
   */
  StreamingCall<Q, R> call();
}
