package io.tri4j.internal.call;

import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.PeerIdentity;
import io.tri4j.Serializer;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one state machine of a server call, whatever sits on it: the response side (headers once,
 * then messages, then one close), how the call ended, and the decoding of requests. The calls that
 * run handlers ({@link BlockingServerCall}, {@link AsyncServerCall}, through {@link
 * ServerCallBase}) are cores with a handler's API on top; the bottom of an interceptor chain
 * ({@link TransportServerCall}) holds one.
 *
 * <p>A failure of server code ({@link #fail}) ends the call as {@link ServerFailures} says.
 */
abstract class ServerCallCore<Q, R> {
  final ServerStream stream;
  final IncomingCall incoming;
  final Deserializer<Q> requestDeserializer;
  private final Serializer<R> responseSerializer;
  private final boolean heldResponses;
  private static final VarHandle CLOSED;

  static {
    try {
      CLOSED = MethodHandles.lookup().findVarHandle(ServerCallCore.class, "closed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Whether the call was closed (set once, through {@link #CLOSED} where it must be once). */
  volatile boolean closed;

  /**
   * What the call was cancelled with (the client's reset, the deadline), once it was; null while it
   * was not.
   */
  private volatile Status cancelStatus;

  private volatile boolean headersSent;
  private volatile Compression responseCompression; // settles when the headers are sent
  private volatile boolean messageCompression = true;
  private volatile boolean lastRequestCompressed;

  /**
   * @param heldResponses whether {@code stream} is an interceptor chain, which takes responses as
   *     objects ({@link OutboundMessage#HELD}) and serializes them further down
   */
  ServerCallCore(
      ServerStream stream,
      ServerMethod<Q, R> method,
      IncomingCall incoming,
      boolean heldResponses) {
    this.stream = stream;
    this.incoming = incoming;
    this.requestDeserializer = method.requestDeserializer(incoming.json());
    this.heldResponses = heldResponses;
    this.responseSerializer =
        heldResponses ? heldResponses() : method.responseSerializer(incoming.json());
    this.responseCompression = incoming.accepted(method.responseCompression);
  }

  @SuppressWarnings("unchecked")
  private static <R> Serializer<R> heldResponses() {
    return (Serializer<R>) (Serializer<?>) OutboundMessage.HELD;
  }

  // ---- the response side ----

  /**
   * Sends the response headers unless they are out already.
   *
   * @return whether this call sent them
   */
  final boolean sendHeadersOnce(Metadata headers) {
    if (headersSent) {
      return false;
    }
    headersSent = true;
    stream.writeHeaders(headers, responseCompression);
    return true;
  }

  /** The headers sent before the first message, if none were sent explicitly; null for none. */
  Metadata headersToSend() {
    return null;
  }

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
      throw ServerFailures.responseNotSerialized(e, incoming.path()).asException();
    }
  }

  /**
   * Sends one serialized response, after the response headers if they are not out yet. Plain
   * headers (nothing added, no compression) are left to the transport, which sends them with the
   * first message in one step; an interceptor chain is given them explicitly, as it expects.
   */
  final void send(OutboundMessage message) {
    if (!headersSent) {
      Metadata headers = headersToSend();
      if (!heldResponses && responseCompression == null && (headers == null || headers.isEmpty())) {
        headersSent = true;
      } else {
        sendHeadersOnce(headers != null ? headers : new Metadata());
      }
    }
    if (heldResponses) {
      // The chain's status as it is: a CANCELLED call below, or an interceptor's own status. Its
      // transport call already tells a serializer's failure as one.
      stream.writeMessage(message);
      return;
    }
    try {
      stream.writeMessage(message);
    } catch (StatusException e) {
      // The transport runs the serializer of a large message as it frames it: its failure is told
      // as any response serializer's, without the exception's text.
      throw ServerFailures.responseNotSerialized(
              e.getCause() != null ? e.getCause() : e, incoming.path())
          .asException();
    }
  }

  /**
   * Throws if the call has ended: the status it was cancelled with (CANCELLED for a client's reset,
   * DEADLINE_EXCEEDED at the deadline) if it was cancelled, else {@link IllegalStateException}
   * naming {@code what} the handler did too late.
   */
  final void checkOpen(String what) {
    if (closed) {
      Status status = cancelStatus;
      if (status == null) {
        throw new IllegalStateException(what + " after the call ended");
      }
      throw status.asException();
    }
  }

  /** The call was cancelled with {@code status}: a late write fails with it (see checkOpen). */
  final void markCancelled(Status status) {
    cancelStatus =
        status.isOk() ? Status.CANCELLED.withDescription("The call was cancelled") : status;
  }

  /** Ends the call with {@code status}; only the first end counts. */
  void close(Status status, Metadata trailers) {
    if (closed) {
      return;
    }
    beforeClose(status);
    if (CLOSED.compareAndSet(this, false, true)) {
      stream.close(status, trailersOnClose(trailers));
      ended();
    }
  }

  /** Runs before the close is published (to let blocked writers see the status). */
  void beforeClose(Status status) {}

  /** Runs once the call has ended, closed or cancelled. */
  void ended() {}

  /** The trailers the call closes with, given those of the close ({@code null}: none). */
  Metadata trailersOnClose(Metadata trailers) {
    return trailers == null ? new Metadata() : trailers;
  }

  /**
   * Ends the call from here, because of what happened in it (a request that does not decode, server
   * code that failed), rather than on its handler's request.
   */
  void closeHere(Status status, Metadata trailers) {
    close(status, trailers);
  }

  /**
   * The status of a call whose executor refused to start it: UNAVAILABLE while the server shuts
   * down (the client may try another), RESOURCE_EXHAUSTED when the executor is full (an executor of
   * the application's, bounded on purpose).
   */
  static Status refused(Executor executor, RejectedExecutionException e) {
    if (executor instanceof ExecutorService && ((ExecutorService) executor).isShutdown()) {
      return Status.UNAVAILABLE.withDescription("The server is shutting down").withCause(e);
    }
    return Status.RESOURCE_EXHAUSTED
        .withDescription("The server is too busy: its executor refused the call")
        .withCause(e);
  }

  /** Ends the call after server code (a handler, an interceptor) threw {@code t}. */
  final void fail(Throwable t) {
    closeHere(ServerFailures.status(t, incoming.path(), isCancelled()), ServerFailures.trailers(t));
  }

  // ---- the request side ----

  /**
   * The request in {@code message}, or null if it does not decode: the call then ends from here
   * with why.
   */
  final Q decodeOrClose(WireMessage message) {
    try {
      return decode(message);
    } catch (StatusException e) {
      closeHere(e.getStatus(), null);
      return null;
    }
  }

  /**
   * The request in {@code message}, decoded (and decompressed).
   *
   * @throws StatusException if it does not decode
   */
  final Q decode(WireMessage message) {
    Q request = CallFailures.decode(requestDeserializer, message);
    lastRequestCompressed = message.wasCompressed();
    return request;
  }

  // ---- what every face of a server call tells ----

  public void request(int n) {
    stream.request(n);
  }

  public boolean isReady() {
    return !closed && stream.isReady();
  }

  public boolean isCancelled() {
    return cancelStatus != null;
  }

  public void setCompression(String encoding) {
    Compression compression = Compression.forEncoding(encoding);
    if (!headersSent) {
      responseCompression = incoming.accepted(compression);
    }
  }

  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
    stream.setMessageCompression(enabled);
  }

  /** Whether the request being delivered (or the last one) came compressed. */
  public boolean lastRequestCompressed() {
    return lastRequestCompressed;
  }

  public Optional<Duration> timeRemaining() {
    return incoming.timeRemaining();
  }

  public String authority() {
    return incoming.authority();
  }

  public SocketAddress remoteAddress() {
    return incoming.remoteAddress();
  }

  /** The client's verified TLS identity, if it showed one. */
  public Optional<PeerIdentity> peerIdentity() {
    return Optional.ofNullable(incoming.peer());
  }
}
