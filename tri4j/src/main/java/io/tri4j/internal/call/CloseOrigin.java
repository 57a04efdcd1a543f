package io.tri4j.internal.call;

/** Where the end of a client stream came from: what decides whether the call may be tried again. */
public enum CloseOrigin {
  /**
   * The server ended the stream: its trailers (or a non-gRPC response), or a reset it sent. It may
   * have run the call.
   */
  PEER,

  /**
   * The client ended the stream: a deadline, a cancellation, a connection that failed or was lost,
   * a protocol error it detected, or the client closing. The server may or may not have seen it.
   */
  LOCAL,

  /**
   * The server never processed the stream: it refused it ({@code REFUSED_STREAM}), its GOAWAY named
   * a last stream below it, or it was never sent because the connection was already going away.
   * Always safe to send again.
   */
  REFUSED
}
