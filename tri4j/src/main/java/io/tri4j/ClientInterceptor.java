package io.tri4j;

/**
 * Wraps the client calls of every call style, blocking and async alike: reads or changes the
 * request headers, the response headers and trailers and the status, sees every message both ways,
 * ends a call with a status of its choice, or defers it ({@link ClientCall#deferred}).
 *
 * <p>Registered for a whole client with {@link ReferenceConfig#withInterceptors} and for one call
 * with {@link CallOptions#withInterceptors}. The first registered is the outermost: it sees the
 * call first as the application makes it, and the response last. A client's interceptors come
 * before a call's own. Retries happen below every interceptor: an interceptor sees one call,
 * however many times it is sent.
 *
 * <pre>{@code
 * ClientInterceptor requestId = new ClientInterceptor() {
 *   public <Q, R> ClientCall<Q, R> interceptCall(
 *       MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
 *     return new ForwardingClientCall<>(next.newCall(options)) {
 *       public void start(Listener<R> listener, Metadata headers) {
 *         headers.put("x-request-id", UUID.randomUUID().toString());
 *         super.start(listener, headers);
 *       }
 *     };
 *   }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ClientInterceptor {

  /**
   * The call for {@code method} with {@code options}: usually {@code next.newCall(options)},
   * wrapped. Runs on the thread that makes the call.
   */
  <Q, R> ClientCall<Q, R> interceptCall(
      MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next);
}
