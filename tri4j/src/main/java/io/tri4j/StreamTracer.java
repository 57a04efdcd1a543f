package io.tri4j;

/**
 * Sees the messages of one call as they cross the wire, which interceptors cannot: their sizes as
 * sent and received (compressed, if they were), and on the client each attempt of a call that is
 * retried. What metrics and access logs count bytes with.
 *
 * <p>On the server an interceptor adds one to its call ({@link ServerCall#addStreamTracer}); on the
 * client it adds a {@link Factory} to the options it passes on ({@link
 * CallOptions#withStreamTracer}), which makes one tracer per attempt. Every method does nothing by
 * default.
 *
 * <h2>Threads</h2>
 *
 * Methods may be called from several threads (the sender's and the network's), not at once for the
 * same direction: a tracer that adds up both directions must make its sums safe to read from
 * another thread. They must be quick and must not block.
 */
public abstract class StreamTracer {

  /** Makes the tracer of each attempt of a client call. */
  @FunctionalInterface
  public interface Factory {
    /**
     * A new attempt of the call starts, with {@code headers}, which the tracer may add to (a trace
     * context, say): they go with this attempt only.
     *
     * @param previousAttempts how many attempts of the call came before this one (0 for the first)
     * @param transparentRetry whether this attempt retries one the server never processed
     */
    StreamTracer newAttempt(int previousAttempts, boolean transparentRetry, Metadata headers);
  }

  /** One message was sent: {@code wireSize} bytes after its 5-byte prefix. */
  public void outboundMessage(int wireSize) {}

  /** One message arrived: {@code wireSize} bytes after its 5-byte prefix. */
  public void inboundMessage(int wireSize) {}

  /**
   * A client attempt ended with {@code status}; called once, after its last message. Not called on
   * the server, whose interceptors see the end of the call themselves.
   */
  public void attemptClosed(Status status) {}
}
