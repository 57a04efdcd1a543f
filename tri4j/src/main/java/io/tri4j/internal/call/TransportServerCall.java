package io.tri4j.internal.call;

import io.tri4j.CallKey;
import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.PeerIdentity;
import io.tri4j.Serializer;
import io.tri4j.ServerCall;
import io.tri4j.ServerCallHandler;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost call a server's interceptors see: it serializes their responses onto the transport
 * stream, and decodes the requests for the chain's listener on the server's executor, one callback
 * at a time.
 */
final class TransportServerCall<Q, R> extends ServerCall<Q, R> implements ServerStreamListener {
  private static final Logger log = LoggerFactory.getLogger(TransportServerCall.class);

  private final ServerStream stream;
  private final MethodInfo method;
  private final IncomingCall incoming;
  private final Deserializer<Q> deserializer;
  private final Serializer<R> serializer;
  private final SerializingExecutor callbacks;
  private final Map<CallKey<?>, Object> values = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Compression compression;
  private volatile boolean headersSent;
  private volatile boolean cancelled;
  private volatile boolean messageCompression = true;
  private volatile boolean lastRequestCompressed;
  private Listener<Q> listener; // callbacks only

  TransportServerCall(
      ServerStream stream,
      ServerMethod<Q, R> serverMethod,
      MethodInfo method,
      IncomingCall incoming,
      Executor executor) {
    this.stream = stream;
    this.method = method;
    this.incoming = incoming;
    this.deserializer = serverMethod.requestDeserializer(incoming.json());
    this.serializer = serverMethod.responseSerializer(incoming.json());
    this.compression = incoming.accepted(serverMethod.responseCompression);
    this.callbacks = new SerializingExecutor(executor);
  }

  /** Runs the interceptor chain down to {@code handler}, on the executor. */
  void start(ServerCallHandler<Q, R> handler) {
    callbacks.execute(
        () ->
            deliver(
                () -> {
                  listener = handler.startCall(this, incoming.headers());
                  if (listener == null) {
                    throw Status.INTERNAL
                        .withDescription("A server interceptor returned no listener")
                        .asException();
                  }
                }));
  }

  // ---- ServerCall ----

  @Override
  public MethodInfo method() {
    return method;
  }

  @Override
  public void request(int n) {
    stream.request(n);
  }

  @Override
  public void sendHeaders(Metadata headers) {
    if (headersSent) {
      throw new IllegalStateException("The response headers were sent already");
    }
    headersSent = true;
    stream.writeHeaders(headers, compression);
  }

  @Override
  public void sendMessage(R message) {
    if (closed.get()) {
      throw cancelled
          ? Status.CANCELLED.withDescription("The call was cancelled").asException()
          : new IllegalStateException("sendMessage() after the call ended");
    }
    if (!headersSent) {
      sendHeaders(new Metadata());
    }
    OutboundMessage bytes;
    try {
      bytes =
          OutboundMessage.serialize(serializer, message, messageCompression ? compression : null);
    } catch (Exception | LinkageError e) {
      throw CallFailures.serializeFailure(e, "a response").asException();
    }
    stream.writeMessage(bytes);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    if (closed.compareAndSet(false, true)) {
      stream.close(status, trailers);
    }
  }

  @Override
  public boolean isReady() {
    return !closed.get() && stream.isReady();
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void setCompression(String encoding) {
    Compression c = Compression.forEncoding(encoding);
    if (!headersSent) {
      compression = incoming.accepted(c);
    }
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  /** Whether the request being delivered (or the last one) came compressed. */
  boolean lastRequestCompressed() {
    return lastRequestCompressed;
  }

  @Override
  public Optional<Duration> timeRemaining() {
    return incoming.timeRemaining();
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
        () -> {
          if (listener == null || closed.get()) {
            return;
          }
          Q request;
          try {
            request = CallFailures.decode(deserializer, message);
          } catch (StatusException e) {
            closeAndTell(e.getStatus(), new Metadata());
            return;
          }
          lastRequestCompressed = message.wasCompressed();
          deliver(() -> listener.onMessage(request));
        });
  }

  @Override
  public void onHalfClose() {
    callbacks.execute(
        () -> {
          if (listener != null && !closed.get()) {
            deliver(listener::onHalfClose);
          }
        });
  }

  @Override
  public void onReady() {
    callbacks.execute(
        () -> {
          if (listener != null && !closed.get()) {
            deliver(listener::onReady);
          }
        });
  }

  @Override
  public void onCancel(Status status) {
    cancelled = true;
    closed.set(true);
    callbacks.execute(
        () -> {
          if (listener != null) {
            deliver(() -> listener.onCancel(status));
          }
        });
  }

  /** Runs a piece of the chain; if it throws, the call ends with the failure's status. */
  private void deliver(Runnable callback) {
    try {
      callback.run();
    } catch (Throwable t) {
      Status status = Status.fromThrowable(t);
      if (status.code() == Status.Code.UNKNOWN && !cancelled) {
        log.warn("An interceptor or handler of {} failed", incoming.path(), t);
      } else {
        log.debug("An interceptor or handler of {} ended with {}", incoming.path(), status);
      }
      closeAndTell(status, t instanceof StatusException e ? e.getTrailers() : new Metadata());
    }
  }

  /**
   * Ends the call from here (a request that does not decode, a piece of the chain that threw), and
   * tells the chain's listener, so that a handler reading or writing is not left waiting.
   */
  private void closeAndTell(Status status, Metadata trailers) {
    if (!closed.get()) {
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
}
