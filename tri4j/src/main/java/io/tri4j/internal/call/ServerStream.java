package io.tri4j.internal.call;

import io.tri4j.Status;

/**
 * The transport's side of one server call. Every method may be called from any thread and returns
 * without blocking; the transport applies them in order.
 */
public interface ServerStream {

  /** Lets {@code n} more request messages be delivered to the listener. */
  void request(int n);

  /** Sends one response message, preceded by the response headers if they have not been sent. */
  void writeMessage(byte[] message);

  /**
   * Ends the call with {@code status} in the trailers (trailers-only if nothing was sent yet).
   * Later calls are ignored.
   */
  void close(Status status);

  /** Whether a write now would be sent soon, rather than wait behind flow control. */
  boolean isReady();
}
