package io.tri4j.internal.call;

import io.tri4j.MethodType;
import io.tri4j.Status;

/** Where a server transport sends each new call. */
public interface ServerCallDispatcher {

  /**
   * The type of the method {@code call} goes to, or null if none is found: a transport that cannot
   * carry every type (HTTP/1.1 carries no request streams) refuses the others before starting.
   */
  MethodType methodType(IncomingCall call);

  /**
   * Whether the method {@code call} goes to is marked as having no side effects, so that a Connect
   * GET may call it; false if there is no such method.
   */
  boolean noSideEffects(IncomingCall call);

  /**
   * The UNIMPLEMENTED status for a call whose method is not found, naming what is missing; the
   * transport answers the call with it. The server's interceptors hear of the call ({@link
   * io.tri4j.ServerInterceptor#onUnknownMethod}).
   */
  Status unimplemented(IncomingCall call);

  /**
   * Why the method of a JSON call cannot take JSON, or null if it can (or there is no such method).
   */
  Status jsonUnsupported(IncomingCall call);

  /**
   * Starts {@code call} on {@code stream}. If no method is found, or it cannot take the call's
   * JSON, closes the stream with {@code UNIMPLEMENTED} and returns {@code null}.
   */
  ServerStreamListener startCall(IncomingCall call, ServerStream stream);
}
