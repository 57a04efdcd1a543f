package io.tri4j.internal.call;

/** Where a server transport sends each new call. */
public interface ServerCallDispatcher {

  /**
   * Starts {@code call} on {@code stream}. If no method is found, closes the stream with {@code
   * UNIMPLEMENTED} and returns {@code null}.
   */
  ServerStreamListener startCall(IncomingCall call, ServerStream stream);
}
