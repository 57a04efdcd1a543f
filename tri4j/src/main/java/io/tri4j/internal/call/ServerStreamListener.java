package io.tri4j.internal.call;

import io.tri4j.Status;
import io.tri4j.internal.codec.WireMessage;

/**
 * Events of one server stream, called on the transport's thread in order. No call follows {@link
 * #onCancel}, nor any call after the server closed the stream. Implementations must not block.
 */
public interface ServerStreamListener {

  /** One request message, as requested (still compressed if it came compressed). */
  void onMessage(WireMessage message);

  /** The client finished sending, and every requested message has been delivered. */
  void onHalfClose();

  /** {@link ServerStream#isReady()} may have become true. */
  void onReady();

  /** The stream ended before the server closed it: the client cancelled or went away. */
  void onCancel(Status status);
}
