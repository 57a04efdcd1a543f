package io.tri4j.internal.call;

import io.tri4j.ResponseObserver;
import io.tri4j.ServerContext;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.WireMessage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One server call with the async API: the handler gets a {@link ResponseObserver} and gives back
 * where its requests go; every callback of the call runs on the server's executor, one at a time.
 * It is a {@link ServerCallCore}, as the blocking {@link BlockingServerCall} is.
 *
 * <p>A call whose client sends one request (unary, server-streaming) runs as one task, once that
 * request and the client's half-close have arrived: the handler is started, given the request and
 * told the requests are complete in one go, as the blocking call runs its handler. So the run also
 * decodes the request: one that does not decode, or an executor that refuses the call, ends the
 * call once the client has sent all it sends, not as its request arrives. A streaming call's
 * handler starts at once; its requests are fetched a few at a time, and one more after each {@code
 * onNext} returns, so a slow handler holds the client back.
 */
final class AsyncServerCall<Q, R> extends ServerCallBase<Q, R> implements ResponseObserver<R> {
  static final int WINDOW = 8;

  private final SerializingExecutor callbacks;
  private AsyncHandler.RequestSink<Q> requests; // callbacks only

  /**
   * The request of a single-request method, from its arrival to the run. Volatile, as under
   * interceptors the request and the half-close may come from different threads.
   */
  private volatile WireMessage request;

  AsyncServerCall(
      ServerStream stream,
      ServerMethod<Q, R> method,
      Executor executor,
      IncomingCall incoming,
      String service,
      String methodName,
      io.tri4j.ServerCall<Q, R> intercepted,
      ShutdownNotice shutdown) {
    super(stream, method, executor, incoming, service, methodName, intercepted, shutdown);
    this.callbacks = new SerializingExecutor(executor);
  }

  @Override
  void start() {
    if (!method.type.clientStreaming()) {
      stream.request(WINDOW); // the run starts at the half-close, with the request
      return;
    }
    try {
      callbacks.executeFirst(() -> inContext(() -> requests = method.asyncHandler.start(this)));
    } catch (RejectedExecutionException e) {
      close(refused(executor, e), null);
      return;
    }
    stream.request(WINDOW);
  }

  /** Runs a piece of the handler with this call as the current context; a throw fails the call. */
  private void inContext(ThrowingRunnable body) {
    ServerContext previous = ServerContexts.enter(this);
    try {
      body.run();
    } catch (Throwable t) {
      fail(t);
    } finally {
      ServerContexts.exit(previous);
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** A single-request call's one task: the handler, its request and the end of the requests. */
  private void runSingle() {
    WireMessage message = request;
    request = null; // the handler may keep the call long after (server streaming)
    if (closed) {
      return;
    }
    Q decoded = decodeOrClose(message);
    if (decoded == null) {
      return;
    }
    ServerContext previous = ServerContexts.enter(this);
    try {
      if (method.asyncHandler instanceof SingleRequestAsync<Q, R> single) {
        single.handle(decoded, this);
      } else {
        AsyncHandler.RequestSink<Q> sink = method.asyncHandler.start(this);
        requests = sink;
        sink.onNext(decoded);
        if (!closed) {
          sink.onCompleted();
        }
      }
    } catch (Throwable t) {
      fail(t);
    } finally {
      ServerContexts.exit(previous);
    }
  }

  // ---- ServerStreamListener (transport thread) ----

  @Override
  public void onMessage(WireMessage message) {
    if (!method.type.clientStreaming()) {
      if (!closed) {
        try {
          request = SingleMessage.request(request, message, method.type);
        } catch (StatusException e) {
          close(e.getStatus(), null);
        }
      }
      return;
    }
    callbacks.execute(
        new SerializingExecutor.LinkedTask() {
          @Override
          public void run() {
            if (closed || requests == null) {
              return;
            }
            Q request = decodeOrClose(message);
            if (request == null) {
              return;
            }
            inContext(() -> requests.onNext(request));
            if (!closed) {
              stream.request(1);
            }
          }
        });
  }

  @Override
  public void onHalfClose() {
    if (!method.type.clientStreaming()) {
      if (closed) {
        return;
      }
      try {
        SingleMessage.onlyRequest(request, method.type);
        callbacks.executeFirst(this::runSingle);
      } catch (StatusException e) {
        close(e.getStatus(), null);
      } catch (RejectedExecutionException e) {
        close(refused(executor, e), null);
      }
      return;
    }
    callbacks.execute(
        new SerializingExecutor.LinkedTask() {
          @Override
          public void run() {
            if (!closed && requests != null) {
              inContext(requests::onCompleted);
            }
          }
        });
  }

  @Override
  public void onReady() {
    Extras extras = extrasIfAny();
    Runnable handler = extras == null ? null : extras.onReadyHandler;
    if (handler != null) {
      callbacks.execute(() -> inContext(handler::run));
    }
  }

  @Override
  void cancelled(Status status) {
    callbacks.execute(
        () -> {
          Runnable handler = extras().onCancelHandler; // made by the cancel already
          if (handler != null) {
            inContext(handler::run);
          }
          if (requests != null) {
            inContext(() -> requests.onError(status.asException()));
          }
        });
  }

  // ---- ResponseObserver (handler) ----

  @Override
  public void onNext(R response) {
    checkOpen("onNext()");
    send(serialize(response));
  }

  @Override
  public void onError(Throwable error) {
    fail(error);
  }

  @Override
  public void onCompleted() {
    close(Status.OK, null);
  }

  @Override
  public void setOnReadyHandler(Runnable onReady) {
    extras().onReadyHandler = onReady;
  }

  @Override
  public void setOnCancelHandler(Runnable onCancel) {
    extras().onCancelHandler = onCancel;
  }
}
