package io.tri4j;

/** The next step of a server call: the next interceptor, or the method's handler. */
@FunctionalInterface
public interface ServerCallHandler<Q, R> {

  /** Starts the call with the request {@code headers}; returns where its requests go. */
  ServerCall.Listener<Q> startCall(ServerCall<Q, R> call, Metadata headers);
}
