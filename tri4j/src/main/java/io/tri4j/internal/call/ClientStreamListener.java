package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.codec.WireMessage;

/**
 * Events of one client stream, called on the transport's thread in order. No call follows {@link
 * #onClose}. Implementations must not block.
 */
public interface ClientStreamListener {

  /** The response headers arrived (not called for a trailers-only response). */
  void onHeaders(Metadata headers);

  /** One response message, as requested (still compressed if it came compressed). */
  void onMessage(WireMessage message);

  /** {@link ClientStream#isReady()} may have become true. */
  void onReady();

  /**
   * The trailers arrived with this status; messages sent before them may still be waiting to be
   * requested, so {@link #onClose} may come later.
   */
  void onTrailers(Status status, Metadata trailers);

  /**
   * The call ended: trailers with this status, after every requested message, or a failure (then
   * {@code trailers} may be empty); {@code origin} tells who ended it.
   */
  void onClose(Status status, Metadata trailers, CloseOrigin origin);
}
