package io.tri4j;

import io.tri4j.internal.call.ServerFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A server listener whose real listener comes later ({@link ServerCall#deferred}): events that
 * arrive meanwhile are kept, in order, and passed on once it is there.
 */
final class DeferredServerListener<Q> extends ServerCall.Listener<Q> {
  private final Object lock = new Object();

  // Guarded by lock.
  private List<Consumer<ServerCall.Listener<Q>>> pending = new ArrayList<>();
  private ServerCall.Listener<Q> real; // set once every pending event has been passed on

  DeferredServerListener(
      ServerCall<Q, ?> call, CompletionStage<? extends ServerCall.Listener<Q>> next) {
    next.whenComplete(
        (listener, failure) -> {
          ServerCall.Listener<Q> target = listener;
          if (failure != null || listener == null) {
            Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
            if (cause != null) {
              fail(call, cause);
            } else {
              call.close(
                  Status.INTERNAL.withDescription("A deferred call got no listener"),
                  new Metadata());
            }
            target = new ServerCall.Listener<>() {};
          }
          try {
            resolved(target);
          } catch (RuntimeException | Error e) {
            fail(call, e);
          }
        });
  }

  /** Ends {@code call} after server code failed: the details go to the log, not to the client. */
  private static void fail(ServerCall<?, ?> call, Throwable t) {
    call.close(
        ServerFailures.status(t, "/" + call.method().fullName(), call.isCancelled()),
        ServerFailures.trailers(t));
  }

  private void resolved(ServerCall.Listener<Q> listener) {
    while (true) {
      List<Consumer<ServerCall.Listener<Q>>> batch;
      synchronized (lock) {
        if (pending.isEmpty()) {
          real = listener;
          pending = null;
          return;
        }
        batch = pending;
        pending = new ArrayList<>();
      }
      for (Consumer<ServerCall.Listener<Q>> event : batch) {
        event.accept(listener);
      }
    }
  }

  private void pass(Consumer<ServerCall.Listener<Q>> event) {
    ServerCall.Listener<Q> listener;
    synchronized (lock) {
      listener = real;
      if (listener == null) {
        pending.add(event);
        return;
      }
    }
    event.accept(listener);
  }

  @Override
  public void onMessage(Q message) {
    pass(l -> l.onMessage(message));
  }

  @Override
  public void onHalfClose() {
    pass(ServerCall.Listener::onHalfClose);
  }

  @Override
  public void onCancel(Status status) {
    pass(l -> l.onCancel(status));
  }

  @Override
  public void onReady() {
    pass(ServerCall.Listener::onReady);
  }
}
