package io.tri4j.internal.call;

import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.PeerIdentity;
import io.tri4j.Serializer;
import io.tri4j.ServerContext;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every server call has, whichever API its handler uses: the {@link ServerContext} (metadata,
 * deadline, cancellation, compression), the encoding of responses, and the one way a call ends.
 * {@link BlockingServerCall} adds the blocking streams, {@link AsyncServerCall} the observers.
 */
abstract class ServerCallBase<Q, R> implements ServerStreamListener, ServerContext {
  private static final Logger log = LoggerFactory.getLogger(ServerCallBase.class);

  final ServerStream stream;
  final ServerMethod<Q, R> method;
  final Executor executor;
  final IncomingCall incoming;
  final Deserializer<Q> requestDeserializer;
  private final Serializer<R> responseSerializer;
  private final String service;
  private final String methodName;
  final AtomicBoolean closed = new AtomicBoolean();
  private final Metadata responseHeaders = new Metadata();
  private final Metadata responseTrailers = new Metadata();
  private final List<Runnable> cancelListeners = new ArrayList<>();
  volatile boolean cancelled;
  private volatile boolean headersSent;
  private volatile Compression responseCompression; // settles when the headers are sent
  private volatile boolean messageCompression = true;
  private final io.tri4j.ServerCall<Q, R> intercepted;

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
      io.tri4j.ServerCall<Q, R> intercepted) {
    this.stream = stream;
    this.method = method;
    this.executor = executor;
    this.incoming = incoming;
    this.service = service;
    this.methodName = methodName;
    this.intercepted = intercepted;
    this.requestDeserializer = method.requestDeserializer(incoming.json());
    this.responseSerializer =
        intercepted != null ? heldResponses() : method.responseSerializer(incoming.json());
    this.responseCompression = incoming.accepted(method.responseCompression);
  }

  @SuppressWarnings("unchecked")
  private static <R> Serializer<R> heldResponses() {
    return (Serializer<R>) (Serializer<?>) OutboundMessage.HELD;
  }

  /** Starts the call once the transport has registered it. */
  abstract void start();

  /**
   * Serializes a response (and compresses it if this call's responses are compressed); a failure is
   * the handler's mistake: INTERNAL.
   */
  final OutboundMessage serialize(R message) {
    if (message == null) {
      throw new NullPointerException("message");
    }
    Compression compression = responseCompression;
    try {
      return OutboundMessage.serialize(
          responseSerializer,
          message,
          compression != null && messageCompression ? compression : null);
    } catch (Exception | LinkageError e) {
      throw CallFailures.serializeFailure(e, "a response").asException();
    }
  }

  /** Sends one serialized response, after the response headers if they are not out yet. */
  final void send(OutboundMessage message) {
    if (!headersSent) {
      headersSent = true;
      stream.writeHeaders(responseHeaders, responseCompression);
    }
    stream.writeMessage(message);
  }

  /** The status and trailers of a handler's failure, logged as the failure deserves. */
  final void fail(Throwable t) {
    Status status = Status.fromThrowable(t);
    if (status.code() == Status.Code.UNKNOWN && !cancelled) {
      log.warn("Handler of {} failed", incoming.path(), t);
    } else {
      log.debug("Handler of {} ended with {}", incoming.path(), status);
    }
    close(status, t instanceof StatusException ? ((StatusException) t).getTrailers() : null);
  }

  /** Ends the call with {@code status}; only the first end counts. */
  void close(Status status, Metadata extraTrailers) {
    if (closed.get()) {
      return;
    }
    beforeClose(status);
    if (closed.compareAndSet(false, true)) {
      Metadata trailers = new Metadata(responseTrailers);
      if (extraTrailers != null && extraTrailers != responseTrailers) {
        trailers.merge(extraTrailers);
      }
      if (!headersSent && !responseHeaders.isEmpty()) {
        headersSent = true;
        stream.writeHeaders(responseHeaders, null); // else the handler's headers would be lost
      }
      stream.close(status, trailers);
    }
  }

  /** Runs before the close is published (to let blocked writers see the status). */
  void beforeClose(Status status) {}

  /** Runs once the call is cancelled, after cancel listeners were collected. */
  abstract void cancelled(Status status);

  @Override
  public final void onCancel(Status status) {
    List<Runnable> listeners;
    synchronized (cancelListeners) {
      cancelled = true; // before waking the handler, so that it sees isCancelled()
      listeners = new ArrayList<>(cancelListeners);
      cancelListeners.clear();
    }
    cancelled(status);
    closed.set(true);
    for (Runnable listener : listeners) {
      runListener(listener);
    }
  }

  private void runListener(Runnable listener) {
    try {
      executor.execute(listener);
    } catch (RejectedExecutionException e) {
      listener.run();
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
    return responseHeaders;
  }

  @Override
  public Metadata responseTrailers() {
    return responseTrailers;
  }

  @Override
  public Optional<Duration> timeRemaining() {
    return incoming.timeRemaining();
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void addCancelListener(Runnable listener) {
    synchronized (cancelListeners) {
      if (!cancelled) {
        cancelListeners.add(listener);
        return;
      }
    }
    runListener(listener);
  }

  @Override
  public void setCompression(String encoding) {
    Compression compression = Compression.forEncoding(encoding);
    if (!headersSent) {
      responseCompression = incoming.accepted(compression);
    }
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
    stream.setMessageCompression(enabled);
  }

  @Override
  public String authority() {
    return incoming.authority();
  }

  @Override
  public SocketAddress remoteAddress() {
    return incoming.remoteAddress();
  }

  @Override
  public Optional<PeerIdentity> peerIdentity() {
    return Optional.ofNullable(incoming.peer());
  }

  @Override
  public <T> T value(io.tri4j.CallKey<T> key) {
    return intercepted == null ? null : intercepted.value(key);
  }
}
