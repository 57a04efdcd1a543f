package io.tri4j;

/**
 * The responses of a client call, read as a {@link ReadStream}, with the call's response headers
 * and trailers.
 */
public interface ResponseStream<R> extends ReadStream<R> {

  /**
   * The response headers. Waits until they arrive or the call ends (a response that is only a
   * status has none: then the result is empty).
   *
   * @throws StatusException if the thread is interrupted while waiting
   */
  Metadata headers();

  /**
   * The trailers. Waits until the call ends; does not throw for a failed call (its status comes
   * from {@link #read()}).
   *
   * @throws StatusException if the thread is interrupted while waiting
   */
  Metadata trailers();

  /**
   * Cancels the call if it has not ended: the server sees {@code CANCELLED}, and reads and writes
   * here throw a {@link StatusException} with code {@code CANCELLED}.
   */
  void cancel(String reason);
}
