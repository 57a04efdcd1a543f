package io.tri4j.internal.call;

import io.tri4j.CallKey;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.PeerIdentity;
import io.tri4j.ServerCall;
import io.tri4j.ServerCallHandler;
import io.tri4j.Status;
import io.tri4j.StreamTracer;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost call a server's interceptors see: a {@link ServerCall} face over the call's {@link
 * ServerCallCore}, which serializes their responses onto the transport stream and decodes the
 * requests for the chain's listener, on the server's executor, one callback at a time.
 */
final class TransportServerCall<Q, R> extends ServerCall<Q, R> implements ServerStreamListener {
  private static final Logger log = LoggerFactory.getLogger(TransportServerCall.class);
  private static final StreamTracer[] NO_TRACERS = {};

  private final Core core;
  private final MethodInfo method;
  private final Executor executor;
  private final SerializingExecutor callbacks;
  private final Map<CallKey<?>, Object> values = new ConcurrentHashMap<>();
  private Listener<Q> listener; // callbacks only
  private volatile StreamTracer[] tracers = NO_TRACERS;
  private final long startNanoTime = System.nanoTime(); // made as the request headers are read

  TransportServerCall(
      ServerStream stream,
      ServerMethod<Q, R> serverMethod,
      MethodInfo method,
      IncomingCall incoming,
      Executor executor) {
    this.core = new Core(stream, serverMethod, incoming);
    this.method = method;
    this.executor = executor;
    this.callbacks = new SerializingExecutor(executor);
  }

  /** The core, ending the call from here also tells the chain's listener. */
  private final class Core extends ServerCallCore<Q, R> {
    Core(ServerStream stream, ServerMethod<Q, R> method, IncomingCall incoming) {
      super(stream, method, incoming, false);
    }

    /** Tells the chain's listener too, so that a handler reading or writing is not left waiting. */
    @Override
    void closeHere(Status status, Metadata trailers) {
      if (closed) {
        return;
      }
      close(status, trailers);
      Listener<Q> l = listener;
      if (l != null) {
        try {
          l.onCancel(status);
        } catch (RuntimeException | Error e) {
          log.debug("A listener failed on the end of {}", incoming.path(), e);
        }
      }
    }
  }

  /** Runs the interceptor chain down to {@code handler}, on the executor. */
  void start(ServerCallHandler<Q, R> handler) {
    try {
      callbacks.executeFirst(
          () ->
              deliver(
                  () -> {
                    listener = handler.startCall(this, core.incoming.headers());
                    if (listener == null) {
                      throw Status.INTERNAL
                          .withDescription("A server interceptor returned no listener")
                          .asException();
                    }
                  }));
    } catch (RejectedExecutionException e) {
      core.close(ServerCallCore.refused(executor, e), null);
    }
  }

  /** Whether the request being delivered (or the last one) came compressed. */
  boolean lastRequestCompressed() {
    return core.lastRequestCompressed();
  }

  // ---- ServerCall ----

  @Override
  public MethodInfo method() {
    return method;
  }

  @Override
  public long startNanoTime() {
    return startNanoTime;
  }

  @Override
  public void request(int n) {
    core.request(n);
  }

  @Override
  public void sendHeaders(Metadata headers) {
    if (!core.sendHeadersOnce(headers)) {
      throw new IllegalStateException("The response headers were sent already");
    }
  }

  @Override
  public void sendMessage(R message) {
    core.checkOpen("sendMessage()");
    OutboundMessage serialized = core.serialize(message);
    for (StreamTracer tracer : tracers) {
      tracer.outboundMessage(serialized.size());
    }
    core.send(serialized);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    core.close(status, trailers);
  }

  @Override
  public boolean isReady() {
    return core.isReady();
  }

  @Override
  public boolean isCancelled() {
    return core.isCancelled();
  }

  @Override
  public void setCompression(String encoding) {
    core.setCompression(encoding);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    core.setMessageCompression(enabled);
  }

  @Override
  public Optional<Duration> timeRemaining() {
    return core.timeRemaining();
  }

  @Override
  public String authority() {
    return core.authority();
  }

  @Override
  public SocketAddress remoteAddress() {
    return core.remoteAddress();
  }

  @Override
  public Optional<PeerIdentity> peerIdentity() {
    return core.peerIdentity();
  }

  @Override
  public synchronized void addStreamTracer(StreamTracer tracer) {
    StreamTracer[] more = Arrays.copyOf(tracers, tracers.length + 1);
    more[tracers.length] = Objects.requireNonNull(tracer, "tracer");
    tracers = more;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T value(CallKey<T> key) {
    return (T) values.get(key);
  }

  @Override
  public <T> void setValue(CallKey<T> key, T value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
  }

  // ---- ServerStreamListener (transport thread): each event becomes a callback ----

  @Override
  public void onMessage(WireMessage message) {
    callbacks.execute(
        new SerializingExecutor.LinkedTask() {
          @Override
          public void run() {
            if (!listening()) {
              return;
            }
            for (StreamTracer tracer : tracers) {
              tracer.inboundMessage(message.wireSize());
            }
            Q request = core.decodeOrClose(message);
            if (request != null) {
              deliver(() -> listener.onMessage(request));
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
            if (listening()) {
              deliver(listener::onHalfClose);
            }
          }
        });
  }

  @Override
  public void onReady() {
    callbacks.execute(
        () -> {
          if (listening()) {
            deliver(listener::onReady);
          }
        });
  }

  /** Whether the chain's listener is there and the call still open (callbacks only). */
  private boolean listening() {
    return listener != null && !core.closed;
  }

  @Override
  public void onCancel(Status status) {
    core.markCancelled(status);
    core.closed = true;
    callbacks.execute(
        () -> {
          if (listener != null) {
            deliver(() -> listener.onCancel(status));
          }
        });
  }

  /** Runs a piece of the chain; if it throws, the call ends with the failure (see the core). */
  private void deliver(Runnable callback) {
    try {
      callback.run();
    } catch (Throwable t) {
      core.fail(t);
    }
  }
}
