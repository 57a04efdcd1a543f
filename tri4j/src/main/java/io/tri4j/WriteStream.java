package io.tri4j;

/**
 * The messages sent to a peer, written in order: requests on the client, responses in a streaming
 * server handler.
 *
 * <p>{@link #write} blocks while the peer's HTTP/2 flow-control window is used up and the bytes
 * already queued for the connection pass a small bound, so a fast writer cannot fill memory. It
 * wakes when the peer reads, or when the call ends.
 *
 * <p>Meant for one writing thread at a time.
 */
public interface WriteStream<T> {

  /**
   * Sends one message.
   *
   * @throws IllegalStateException if {@link #doneWriting()} was called
   * @throws StatusException if the call has already failed or was cancelled (with that status)
   */
  void write(T message);

  /**
   * Says that no more messages follow. On the client, this half-closes the call (HTTP/2 {@code
   * END_STREAM}, with no extra empty message); on the server, it ends the call with {@code OK}.
   * Idempotent.
   */
  void doneWriting();
}
