package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.Status;

/**
 * The transport's side of one server call. Every method may be called from any thread and returns
 * without blocking; the transport applies them in order.
 */
public interface ServerStream {

  /** Lets {@code n} more request messages be delivered to the listener. */
  void request(int n);

  /**
   * Sends the response headers with {@code headers} added, and {@code compression} (if not null) as
   * {@code grpc-encoding}; at most once, before any message.
   */
  void writeHeaders(Metadata headers, io.tri4j.internal.codec.Compression compression);

  /** Sends one response message (the response headers first, if not sent yet). */
  void writeMessage(io.tri4j.internal.codec.OutboundMessage message);

  /**
   * Ends the call with {@code status} and {@code trailers} (trailers-only if nothing was sent yet).
   * Later calls are ignored. A transport's stream takes null for no trailers, and only reads those
   * it is given; an interceptor chain's is always given some, which it may add to.
   */
  void close(Status status, Metadata trailers);

  /**
   * Ends the call with {@code status} from the server's side, as when its deadline passes: closes
   * it as {@link #close} does (if it is not closed yet), resets the stream if the client is still
   * sending, and tells the listener {@link ServerStreamListener#onCancel}.
   */
  void cancel(Status status);

  /** Whether a write now would be sent soon, rather than wait behind flow control. */
  boolean isReady();

  /**
   * Whether the next messages are to be compressed, for a stream that compresses them itself (an
   * interceptor chain); other streams send messages as they are handed over.
   */
  default void setMessageCompression(boolean enabled) {}
}
