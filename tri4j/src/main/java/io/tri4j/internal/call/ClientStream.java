package io.tri4j.internal.call;

import io.tri4j.Status;

/**
 * The transport's side of one client call: one HTTP/2 stream carrying framed messages. Every method
 * may be called from any thread and returns without blocking; the transport applies them in order.
 */
public interface ClientStream {

  /** Sends the request headers; events go to {@code listener} from then on. Called once. */
  void start(ClientStreamListener listener);

  /** Lets {@code n} more response messages be delivered to the listener. */
  void request(int n);

  /**
   * Sends one message (flagged compressed, with the stream's encoding, if it is); with {@code
   * endOfStream} the request side is closed in the same frame.
   */
  void writeMessage(io.tri4j.internal.codec.OutboundMessage message, boolean endOfStream);

  /** Closes the request side: {@code END_STREAM} with no further message. */
  void halfClose();

  /** Resets the stream with {@code CANCEL}; the listener is closed with {@code status}. */
  void cancel(Status status);

  /** Whether a write now would be sent soon, rather than wait behind flow control. */
  boolean isReady();

  /**
   * Whether the next messages are to be compressed, for a stream that compresses them itself (an
   * interceptor chain); other streams send messages as they are handed over.
   */
  default void setMessageCompression(boolean enabled) {}
}
