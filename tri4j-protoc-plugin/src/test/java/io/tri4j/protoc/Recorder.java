package io.tri4j.protoc;

import io.tri4j.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Records what an async call's observer receives. */
final class Recorder<T> implements StreamObserver<T> {
  private final List<T> values = new CopyOnWriteArrayList<>();
  private final CompletableFuture<List<T>> done = new CompletableFuture<>();

  @Override
  public void onNext(T value) {
    values.add(value);
  }

  @Override
  public void onError(Throwable error) {
    done.completeExceptionally(error);
  }

  @Override
  public void onCompleted() {
    done.complete(List.copyOf(values));
  }

  /** The values received, once the call completed; fails if it failed or took 10 s. */
  List<T> await() throws Exception {
    return done.get(10, TimeUnit.SECONDS);
  }

  /** Completes with the values, or with the call's error. */
  CompletableFuture<List<T>> done() {
    return done;
  }
}
