package io.tri4j.internal.call;

import io.tri4j.ResponseObserver;

/** Every async server handler shape, brought to one: start the call, get its request sink. */
@FunctionalInterface
public interface AsyncHandler<Q, R> {
  RequestSink<Q> start(ResponseObserver<R> responses) throws Exception;

  /** Where the requests of an async call go; like a StreamObserver that may throw. */
  interface RequestSink<Q> {
    void onNext(Q request) throws Exception;

    void onError(Throwable error) throws Exception;

    void onCompleted() throws Exception;
  }
}
