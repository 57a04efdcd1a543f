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
  ReadStream<R> call(Iterator<? extends Q> requests);

  /** As {@link #call(Iterator)}, with the requests of an {@link Iterable}. */
  default ReadStream<R> call(Iterable<? extends Q> requests) {
    return call(requests.iterator());
  }

  /** Starts the call with no requests written: write, read and say done in any order. */
  StreamingCall<Q, R> call();
}
