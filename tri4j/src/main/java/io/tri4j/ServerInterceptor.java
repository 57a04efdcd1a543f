package io.tri4j;

/**
 * Wraps the server calls of every method shape, blocking and async handlers alike: reads or changes
 * the request headers, the response headers, trailers and status, sees every message both ways,
 * ends a call with a status of its choice before or after the handler runs, attaches values for the
 * handler ({@link ServerCall#setValue}), or defers the call ({@link ServerCall#deferred}).
 *
 * <p>Registered for a whole server ({@link ServerOptions#withInterceptors}) and for one service
 * ({@link ServiceConfig#withInterceptors}). The first registered is the outermost: it sees the call
 * first and the response last. A server's interceptors come before a service's own.
 *
 * <pre>{@code
 * ServerInterceptor auth = new ServerInterceptor() {
 *   public <Q, R> ServerCall.Listener<Q> interceptCall(
 *       ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
 *     if (!"secret".equals(headers.get("authorization"))) {
 *       call.close(Status.UNAUTHENTICATED.withDescription("No valid token"), new Metadata());
 *       return new ServerCall.Listener<>() {};
 *     }
 *     return next.startCall(call, headers);
 *   }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ServerInterceptor {

  /**
   * Intercepts one call: usually {@code next.startCall(call, headers)}, with a wrapped call or a
   * wrapped listener. Runs on the server's executor, before the handler.
   */
  <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next);

  /**
   * Hears of a call to a method the server does not serve, which no interceptor sees: the server
   * answered it with {@code status} ({@code UNIMPLEMENTED}) as its request headers arrived. Its
   * path is the client's to choose, so metrics count such calls under one name (gRFC A66 records
   * them as {@code "other"}) rather than by path. Called on a server's own interceptors ({@link
   * ServerOptions#withInterceptors}) only, on a network thread: it must be quick and must not
   * block. Does nothing by default.
   *
   * @param path the request path as the client sent it
   */
  default void onUnknownMethod(String path, Status status) {}
}
