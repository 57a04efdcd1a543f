package io.tri4j;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interceptors that wrap every call and every listener in forwarding classes and change nothing:
 * calls through them must behave exactly as calls without them.
 */
final class PassThrough {
  private PassThrough() {}

  static ClientInterceptor client(AtomicInteger calls) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
        calls.incrementAndGet();
        return new ForwardingClientCall<>(next.newCall(options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            super.start(new ForwardingClientCallListener<>(listener) {}, headers);
          }
        };
      }
    };
  }

  static ServerInterceptor server(AtomicInteger calls) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        calls.incrementAndGet();
        return new ForwardingServerCallListener<>(
            next.startCall(new ForwardingServerCall<>(call) {}, headers)) {};
      }
    };
  }
}
