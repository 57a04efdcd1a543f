package io.tri4j.internal.transport;

import io.tri4j.Status;
import io.tri4j.internal.call.ServerStream;

/** The call an HTTP/1.1 connection is serving, as its handler drives it; on the event loop. */
interface Http1Call extends ServerStream {
  /** Ends the call from the server's side: answers {@code status}, and tells the listener. */
  void cancelNow(Status status);

  /** The client went away, or the server shut down. */
  void cancelled(Status status);

  /** The channel's writability changed: a handler waiting to write may go on. */
  void onWritabilityChanged();
}
