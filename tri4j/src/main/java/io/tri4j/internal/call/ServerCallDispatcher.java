package io.tri4j.internal.call;

/** Where a server transport sends each new call. */
public interface ServerCallDispatcher {

  /**
   * Starts the call for {@code path} ({@code /service/method}) on {@code stream}. If no method is
   * found, closes the stream with {@code UNIMPLEMENTED} and returns {@code null}.
   */
  ServerStreamListener startCall(String path, ServerStream stream);
}
