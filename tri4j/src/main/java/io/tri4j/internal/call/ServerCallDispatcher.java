package io.tri4j.internal.call;

/** Where a server transport sends each new call. */
public interface ServerCallDispatcher {

  /** The method a call with this path, version and group goes to, or null if none. */
  ServerMethod<?, ?> find(String path, String version, String group);

  /** The UNIMPLEMENTED status for a call whose method is not found, naming what is missing. */
  io.tri4j.Status unimplemented(IncomingCall call);

  /**
   * Starts {@code call} on {@code stream}. If no method is found, closes the stream with {@code
   * UNIMPLEMENTED} and returns {@code null}.
   */
  ServerStreamListener startCall(IncomingCall call, ServerStream stream);
}
