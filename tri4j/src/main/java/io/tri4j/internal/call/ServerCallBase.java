package io.tri4j.internal.call;

import io.tri4j.CallKey;
import io.tri4j.Metadata;
import io.tri4j.ServerContext;
import io.tri4j.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link ServerCallCore} that runs a handler, whichever API the handler uses: it is the handler's
 * {@link ServerContext} (metadata, deadline, cancellation, compression). {@link BlockingServerCall}
 * adds the blocking streams, {@link AsyncServerCall} the observers.
 */
abstract class ServerCallBase<Q, R> extends ServerCallCore<Q, R>
    implements ServerStreamListener, ServerContext {
  final ServerMethod<Q, R> method;
  final Executor executor;
  private final String service;
  private final String methodName;

  /**
   * Made when the handler first asks for them, as most handlers add none; like their contents, used
   * by the handler's threads, one at a time.
   */
  private Metadata responseHeaders;

  /** As {@link #responseHeaders}. */
  private Metadata responseTrailers;

  /**
   * Guards the listener lists; a lock of its own, not the call, which handlers hold as their
   * observer or context and may well synchronize on (as gRPC's observers are used).
   */
  private final Object listenerLock = new Object();

  /** Made when the handler adds the first, as most add none; guarded by {@link #listenerLock}. */
  private List<Runnable> cancelListeners;

  private final io.tri4j.ServerCall<Q, R> intercepted;
  private final ShutdownNotice shutdown;

  /** Made when the handler adds the first; guarded by {@link #listenerLock}. */
  private volatile List<Runnable> shutdownListeners;

  /**
   * @param intercepted the interceptor chain's call, when {@code stream} is that chain: messages
   *     then go down as objects and come up decoded; null when the stream is the transport's
   */
  ServerCallBase(
      ServerStream stream,
      ServerMethod<Q, R> method,
      Executor executor,
      IncomingCall incoming,
      String service,
      String methodName,
      io.tri4j.ServerCall<Q, R> intercepted,
      ShutdownNotice shutdown) {
    super(stream, method, incoming, intercepted != null);
    this.shutdown = shutdown;
    this.method = method;
    this.executor = executor;
    this.service = service;
    this.methodName = methodName;
    this.intercepted = intercepted;
  }

  /** Starts the call once the transport has registered it. */
  abstract void start();

  @Override
  final Metadata headersToSend() {
    return responseHeaders;
  }

  @Override
  final Metadata trailersOnClose(Metadata extraTrailers) {
    if (responseHeaders != null && !responseHeaders.isEmpty()) {
      sendHeadersOnce(responseHeaders); // else the handler's headers would be lost
    }
    if (responseTrailers == null) {
      // A copy: the caller's may be shared (a StatusException's), and interceptors add to theirs.
      return extraTrailers == null ? new Metadata() : new Metadata(extraTrailers);
    }
    Metadata trailers = new Metadata(responseTrailers);
    if (extraTrailers != null && extraTrailers != responseTrailers) {
      trailers.merge(extraTrailers);
    }
    return trailers;
  }

  /** Runs once the call is cancelled, after cancel listeners were collected. */
  abstract void cancelled(Status status);

  @Override
  public final void onCancel(Status status) {
    List<Runnable> listeners;
    synchronized (listenerLock) {
      markCancelled(status); // before waking the handler, so that it sees isCancelled()
      listeners = cancelListeners;
      cancelListeners = null;
    }
    cancelled(status);
    closed = true;
    ended();
    if (listeners != null) {
      listeners.forEach(this::runListener);
    }
  }

  @Override
  final void ended() {
    if (shutdownListeners != null) {
      forgetShutdownListeners();
    }
  }

  private void forgetShutdownListeners() {
    synchronized (listenerLock) {
      shutdownListeners = null;
    }
    shutdown.forget(this);
  }

  /** The server is shutting down: runs the handler's shutdown listeners (each once). */
  void shuttingDown() {
    List<Runnable> listeners;
    synchronized (listenerLock) {
      listeners = shutdownListeners;
      shutdownListeners = null;
    }
    shutdown.forget(this);
    if (listeners != null && !closed) {
      listeners.forEach(this::runListener);
    }
  }

  private void runListener(Runnable listener) {
    try {
      executor.execute(listener);
    } catch (RejectedExecutionException e) {
      CallExecutors.refusedRuns().execute(listener); // not on the network thread
    }
  }

  // ---- ServerContext ----

  @Override
  public String service() {
    return service;
  }

  @Override
  public String method() {
    return methodName;
  }

  @Override
  public Metadata requestHeaders() {
    return incoming.headers();
  }

  @Override
  public Metadata responseHeaders() {
    if (responseHeaders == null) {
      responseHeaders = new Metadata();
    }
    return responseHeaders;
  }

  @Override
  public Metadata responseTrailers() {
    if (responseTrailers == null) {
      responseTrailers = new Metadata();
    }
    return responseTrailers;
  }

  @Override
  public void addCancelListener(Runnable listener) {
    synchronized (listenerLock) {
      if (!isCancelled()) {
        if (cancelListeners == null) {
          cancelListeners = new ArrayList<>(1);
        }
        cancelListeners.add(listener);
        return;
      }
    }
    runListener(listener);
  }

  @Override
  public boolean isShuttingDown() {
    return shutdown.isGiven();
  }

  @Override
  public void addShutdownListener(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (listenerLock) {
      if (closed) {
        return;
      }
      if (shutdownListeners == null) {
        shutdownListeners = new ArrayList<>();
        shutdown.listen(this);
      }
      shutdownListeners.add(listener);
    }
    if (closed) {
      forgetShutdownListeners(); // the call ended meanwhile, and may not have seen the list
    } else if (shutdown.isGiven()) {
      shuttingDown();
    }
  }

  @Override
  public <T> T value(CallKey<T> key) {
    return intercepted == null ? null : intercepted.value(key);
  }
}
