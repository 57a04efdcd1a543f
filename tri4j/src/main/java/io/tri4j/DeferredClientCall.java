package io.tri4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A client call whose real call comes later ({@link ClientCall#deferred}): what is done to it
 * meanwhile is kept, in order, and replayed once the real call is there.
 */
final class DeferredClientCall<Q, R> extends ClientCall<Q, R> {
  private final Object lock = new Object();

  // Guarded by lock.
  private List<Consumer<ClientCall<Q, R>>> pending = new ArrayList<>();
  private ClientCall<Q, R> resolved; // the real call, once known: actions are replayed on it
  private ClientCall<Q, R> real; // set once every pending action has been replayed on it
  private Listener<R> listener;
  private boolean ended;
  private Status endStatus; // why it ended before a real call; told to a listener that comes later

  DeferredClientCall(CompletionStage<? extends ClientCall<Q, R>> call) {
    call.whenComplete(this::resolved);
  }

  private void resolved(ClientCall<Q, R> call, Throwable failure) {
    if (failure != null || call == null) {
      Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
      fail(
          cause != null
              ? Status.fromThrowable(cause)
              : Status.INTERNAL.withDescription("A deferred call was completed with no call"));
      return;
    }
    synchronized (lock) {
      if (ended) {
        return; // cancelled first: the real call is never started
      }
      resolved = call;
    }
    // Replay outside the lock; actions that arrive meanwhile join the queue and are replayed too.
    while (true) {
      List<Consumer<ClientCall<Q, R>>> batch;
      Listener<R> toWake = null;
      synchronized (lock) {
        if (pending.isEmpty()) {
          real = call;
          pending = null;
          toWake = listener;
        }
        batch = pending;
        if (batch != null) {
          pending = new ArrayList<>();
        }
      }
      if (batch == null) {
        if (toWake != null) {
          toWake.onReady(); // a writer that waited for the call to be ready looks again
        }
        return;
      }
      try {
        for (Consumer<ClientCall<Q, R>> action : batch) {
          action.accept(call);
        }
      } catch (RuntimeException | Error e) {
        replayFailed(call, e);
        return;
      }
    }
  }

  /** A replayed action threw: the real call is cancelled and the call ends with the failure. */
  private void replayFailed(ClientCall<Q, R> call, Throwable failure) {
    Listener<R> toClose;
    synchronized (lock) {
      ended = true;
      toClose = listener;
    }
    call.cancel("The call failed while it started", failure);
    if (toClose != null) {
      toClose.onClose(Status.fromThrowable(failure), new Metadata());
    }
  }

  /** Ends the call before it reached a real one. */
  private void fail(Status status) {
    Listener<R> toClose;
    synchronized (lock) {
      if (ended || resolved != null) {
        return;
      }
      ended = true;
      endStatus = status;
      toClose = listener;
    }
    if (toClose != null) {
      toClose.onClose(status, new Metadata());
    }
  }

  private Status endStatus() {
    synchronized (lock) {
      return endStatus;
    }
  }

  /** Runs {@code action} on the real call now, or keeps it for when the call is there. */
  private void run(Consumer<ClientCall<Q, R>> action) {
    ClientCall<Q, R> call;
    synchronized (lock) {
      if (ended) {
        return;
      }
      call = real;
      if (call == null) {
        pending.add(action);
        return;
      }
    }
    action.accept(call);
  }

  @Override
  public void start(Listener<R> listener, Metadata headers) {
    Status endedWith;
    synchronized (lock) {
      this.listener = listener;
      endedWith = endStatus;
    }
    if (endedWith != null) {
      listener.onClose(endedWith, new Metadata()); // it ended before it started
      return;
    }
    run(c -> c.start(listener, headers));
  }

  @Override
  public void request(int n) {
    run(c -> c.request(n));
  }

  @Override
  public void sendMessage(Q message) {
    run(c -> c.sendMessage(message));
  }

  @Override
  public void halfClose() {
    run(ClientCall::halfClose);
  }

  @Override
  public void cancel(String message, Throwable cause) {
    boolean endHere;
    Listener<R> toClose = null;
    synchronized (lock) {
      if (ended) {
        return;
      }
      endHere = resolved == null; // then the real call, when it comes, is never started
      if (endHere) {
        ended = true;
        endStatus = Status.CANCELLED.withDescription(message).withCause(cause);
        toClose = listener;
      }
    }
    if (!endHere) {
      run(c -> c.cancel(message, cause)); // after whatever is still being replayed
    } else if (toClose != null) {
      toClose.onClose(endStatus(), new Metadata());
    }
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    run(c -> c.setMessageCompression(enabled));
  }

  @Override
  public boolean isReady() {
    ClientCall<Q, R> call;
    synchronized (lock) {
      call = real;
    }
    return call != null && call.isReady();
  }
}
