package io.tri4j.internal.call;

import io.tri4j.MethodType;
import io.tri4j.ResponseObserver;
import io.tri4j.RpcMethodHandler;
import java.util.Objects;

/**
 * The async handler of a method whose client sends one request (unary, server-streaming): it is
 * given that request once the client has sent all it sends. {@link AsyncServerCall} hands it the
 * request directly, in the one task that runs such a call; {@link #start} serves any other caller
 * through a request sink that applies the same one-request rule.
 */
public final class SingleRequestAsync<Q, R> implements AsyncHandler<Q, R> {
  private final MethodType type;
  private final RpcMethodHandler.AsyncUnary<Q, R> handler;

  public SingleRequestAsync(MethodType type, RpcMethodHandler.AsyncUnary<Q, R> handler) {
    this.type = Objects.requireNonNull(type, "type");
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /** Answers the call's one request. */
  void handle(Q request, ResponseObserver<R> responses) throws Exception {
    handler.handle(request, responses);
  }

  @Override
  public RequestSink<Q> start(ResponseObserver<R> responses) {
    return new RequestSink<>() {
      private Q request;

      @Override
      public void onNext(Q value) {
        request = SingleMessage.request(request, value, type);
      }

      @Override
      public void onError(Throwable error) {}

      @Override
      public void onCompleted() throws Exception {
        handler.handle(SingleMessage.onlyRequest(request, type), responses);
      }
    };
  }
}
