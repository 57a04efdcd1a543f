package io.tri4j.internal.call;

import io.tri4j.ResponseObserver;
import io.tri4j.ServerContext;
import io.tri4j.Status;
import io.tri4j.internal.codec.WireMessage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One server call with the async API: the handler gets a {@link ResponseObserver} and gives back
 * where its requests go; every callback of the call runs on the server's executor, one at a time.
 * It is a {@link ServerCallCore}, as the blocking {@link BlockingServerCall} is.
 *
 * <p>Requests are fetched a few at a time, and one more after each {@code onNext} returns, so a
 * slow handler holds the client back.
 */
final class AsyncServerCall<Q, R> extends ServerCallBase<Q, R> implements ResponseObserver<R> {
  static final int WINDOW = 8;

  private final SerializingExecutor callbacks;
  private AsyncHandler.RequestSink<Q> requests; // callbacks only
  private volatile Runnable onReadyHandler;
  private volatile Runnable onCancelHandler;

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

  // ---- ServerStreamListener (transport thread) ----

  @Override
  public void onMessage(WireMessage message) {
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
            // A single-request method has what it needs from the first window.
            if (!closed && method.type.clientStreaming()) {
              stream.request(1);
            }
          }
        });
  }

  @Override
  public void onHalfClose() {
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
    Runnable handler = onReadyHandler;
    if (handler != null) {
      callbacks.execute(() -> inContext(handler::run));
    }
  }

  @Override
  void cancelled(Status status) {
    callbacks.execute(
        () -> {
          Runnable handler = onCancelHandler;
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
    this.onReadyHandler = onReady;
  }

  @Override
  public void setOnCancelHandler(Runnable onCancel) {
    this.onCancelHandler = onCancel;
  }
}
