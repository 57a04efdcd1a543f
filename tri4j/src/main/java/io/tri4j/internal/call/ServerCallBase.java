package io.tri4j.internal.call;

import io.tri4j.CallKey;
import io.tri4j.Metadata;
import io.tri4j.ServerContext;
import io.tri4j.Status;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

  private final io.tri4j.ServerCall<Q, R> intercepted;
  private final ShutdownNotice shutdown;

  private static final VarHandle EXTRAS;

  static {
    try {
      EXTRAS = MethodHandles.lookup().findVarHandle(ServerCallBase.class, "extras", Extras.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * What a handler adds to its call beyond the request and the responses: headers and trailers of
   * its own, listeners, callbacks. Most handlers add none, so a call makes this when the first is
   * added (or the call is cancelled), not up front.
   *
   * <p>It is also the lock of the listener lists: a lock of the call's own, not the call, which
   * handlers hold as their observer or context and may well synchronize on (as gRPC's observers are
   * used).
   */
  static final class Extras {
    /** Like their contents, used by the handler's threads, one at a time. */
    Metadata responseHeaders;

    /** As {@link #responseHeaders}. */
    Metadata responseTrailers;

    /** Made when the handler adds the first; guarded by this. */
    List<Runnable> cancelListeners;

    /** Made when the handler adds the first; guarded by this. */
    volatile List<Runnable> shutdownListeners;

    /** The async handler's {@code setOnReadyHandler}, run when the stream becomes ready. */
    volatile Runnable onReadyHandler;

    /** The async handler's {@code setOnCancelHandler}, run when the call is cancelled. */
    volatile Runnable onCancelHandler;
  }

  /** Null until {@link #extras()} first makes it (through {@link #EXTRAS}). */
  private volatile Extras extras;

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

  /** This call's extras, made now if it has none yet. */
  final Extras extras() {
    Extras e = extras;
    if (e == null) {
      e = new Extras();
      if (!EXTRAS.compareAndSet(this, null, e)) {
        e = extras; // another thread made them first
      }
    }
    return e;
  }

  /** This call's extras, or null if it has none. */
  final Extras extrasIfAny() {
    return extras;
  }

  @Override
  final Metadata headersToSend() {
    Extras e = extras;
    return e == null ? null : e.responseHeaders;
  }

  @Override
  final Metadata trailersOnClose(Metadata extraTrailers) {
    Extras e = extras;
    Metadata responseHeaders = e == null ? null : e.responseHeaders;
    Metadata responseTrailers = e == null ? null : e.responseTrailers;
    if (responseHeaders != null && !responseHeaders.isEmpty()) {
      sendHeadersOnce(responseHeaders); // else the handler's headers would be lost
    }
    if (responseTrailers == null) {
      if (extraTrailers == null) {
        return intercepted == null ? null : new Metadata(); // the transport takes null for none
      }
      // A copy: the caller's may be shared (a StatusException's), and interceptors add to theirs.
      return new Metadata(extraTrailers);
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
    Extras e = extras();
    List<Runnable> listeners;
    synchronized (e) {
      markCancelled(status); // before waking the handler, so that it sees isCancelled()
      listeners = e.cancelListeners;
      e.cancelListeners = null;
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
    Extras e = extras;
    if (e != null && e.shutdownListeners != null) {
      forgetShutdownListeners(e);
    }
  }

  private void forgetShutdownListeners(Extras e) {
    synchronized (e) {
      e.shutdownListeners = null;
    }
    shutdown.forget(this);
  }

  /** The server is shutting down: runs the handler's shutdown listeners (each once). */
  void shuttingDown() {
    Extras e = extras();
    List<Runnable> listeners;
    synchronized (e) {
      listeners = e.shutdownListeners;
      e.shutdownListeners = null;
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
    Extras e = extras();
    if (e.responseHeaders == null) {
      e.responseHeaders = new Metadata();
    }
    return e.responseHeaders;
  }

  @Override
  public Metadata responseTrailers() {
    Extras e = extras();
    if (e.responseTrailers == null) {
      e.responseTrailers = new Metadata();
    }
    return e.responseTrailers;
  }

  @Override
  public void addCancelListener(Runnable listener) {
    Extras e = extras();
    synchronized (e) {
      if (!isCancelled()) {
        if (e.cancelListeners == null) {
          e.cancelListeners = new ArrayList<>(1);
        }
        e.cancelListeners.add(listener);
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
    Extras e = extras();
    synchronized (e) {
      if (closed) {
        return;
      }
      if (e.shutdownListeners == null) {
        e.shutdownListeners = new ArrayList<>();
        shutdown.listen(this);
      }
      e.shutdownListeners.add(listener);
    }
    if (closed) {
      forgetShutdownListeners(e); // the call ended meanwhile, and may not have seen the list
    } else if (shutdown.isGiven()) {
      shuttingDown();
    }
  }

  @Override
  public <T> T value(CallKey<T> key) {
    return intercepted == null ? null : intercepted.value(key);
  }
}
