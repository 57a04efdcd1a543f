package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.ServerContext;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.WriteStream;
import io.tri4j.internal.codec.Compression;
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
 * One server call with the blocking API: runs the handler on the executor, feeds it the requests
 * through {@link InboundMessages}, and writes its responses with back-pressure. It is also the
 * handler's {@link ServerContext}.
 *
 * <p>A handler of a method whose client sends one request starts once that request and the client's
 * half-close have arrived, so it never waits for them; a handler of a client-streaming method
 * starts at once.
 */
final class ServerCall<Q, R>
    implements ServerStreamListener, InboundMessages.Control, WriteStream<R>, ServerContext {
  private static final Logger log = LoggerFactory.getLogger(ServerCall.class);

  private final ServerStream stream;
  private final ServerMethod<Q, R> method;
  private final Executor executor;
  private final IncomingCall incoming;
  private final String service;
  private final String methodName;
  private final InboundMessages<Q> inbound;
  private final io.tri4j.Serializer<R> responseSerializer;
  private final ReadyGate gate = new ReadyGate();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Metadata responseHeaders = new Metadata();
  private final Metadata responseTrailers = new Metadata();
  private final List<Runnable> cancelListeners = new ArrayList<>();
  private volatile boolean cancelled;
  private volatile boolean handlerStarted;
  private boolean headersSent; // handler thread only
  private Compression responseCompression; // handler thread only, until the headers are sent
  private boolean messageCompression = true; // handler thread only
  private int received; // transport thread only

  ServerCall(
      ServerStream stream,
      ServerMethod<Q, R> method,
      Executor executor,
      IncomingCall incoming,
      String service,
      String methodName) {
    this.stream = stream;
    this.method = method;
    this.executor = executor;
    this.incoming = incoming;
    this.service = service;
    this.methodName = methodName;
    ServerMethod.JsonCodecs<Q, R> json = incoming.json() ? method.json() : null;
    this.inbound =
        new InboundMessages<>(json != null ? json.requests() : method.requestDeserializer, this);
    this.responseSerializer = json != null ? json.responses() : method.responseSerializer;
    this.responseCompression = accepted(method.responseCompression);
  }

  /** {@code compression} if the client accepts it, else null. */
  private Compression accepted(Compression compression) {
    return compression != null && compression.acceptedBy(incoming.acceptEncoding())
        ? compression
        : null;
  }

  void start() {
    inbound.start();
    if (method.type.clientStreaming()) {
      dispatch();
    }
  }

  private void dispatch() {
    try {
      executor.execute(this::run);
    } catch (RejectedExecutionException e) {
      close(Status.UNAVAILABLE.withDescription("The server is shutting down").withCause(e), null);
    }
  }

  private void run() {
    handlerStarted = true;
    ServerContext previous = ServerContexts.enter(this);
    try {
      method.handler.handle(inbound, this);
      close(Status.OK, null);
    } catch (Throwable t) {
      Status status = Status.fromThrowable(t);
      if (status.code() == Status.Code.UNKNOWN && !cancelled) {
        log.warn("Handler of {} failed", incoming.path(), t);
      } else {
        log.debug("Handler of {} ended with {}", incoming.path(), status);
      }
      close(status, t instanceof StatusException ? ((StatusException) t).getTrailers() : null);
    } finally {
      ServerContexts.exit(previous);
      inbound.close();
    }
  }

  private void close(Status status, Metadata extraTrailers) {
    if (closed.get()) {
      return;
    }
    gate.end(status); // before closed is set, so that a writer seeing closed finds the status
    if (closed.compareAndSet(false, true)) {
      if (!handlerStarted) {
        inbound.abort(status); // no handler will read the requests already queued
      }
      Metadata trailers = new Metadata(responseTrailers);
      if (extraTrailers != null && extraTrailers != responseTrailers) {
        trailers.merge(extraTrailers);
      }
      if (!headersSent && !responseHeaders.isEmpty()) {
        stream.writeHeaders(responseHeaders, null); // else the handler's headers would be lost
      }
      stream.close(status, trailers);
    }
  }

  // ---- WriteStream (handler thread) ----

  @Override
  public void write(R message) {
    if (closed.get()) {
      gate.checkOpen(); // throws if the call was cancelled or failed
      throw new IllegalStateException("write() after doneWriting()");
    }
    if (message == null) {
      throw new NullPointerException("message");
    }
    byte[] bytes;
    try {
      bytes = responseSerializer.serialize(message);
    } catch (Exception | LinkageError e) {
      throw Status.INTERNAL
          .withDescription("Failed to serialize a response: " + e)
          .withCause(e)
          .asException();
    }
    if (!gate.await(stream::isReady, () -> {})) {
      throw new IllegalStateException("write() after doneWriting()");
    }
    if (!headersSent) {
      headersSent = true;
      stream.writeHeaders(responseHeaders, responseCompression);
    }
    boolean compress = responseCompression != null && messageCompression;
    stream.writeMessage(compress ? responseCompression.compress(bytes) : bytes, compress);
  }

  @Override
  public void doneWriting() {
    close(Status.OK, null);
  }

  // ---- InboundMessages.Control ----

  @Override
  public void request(int n) {
    stream.request(n);
  }

  @Override
  public void abandon(Status status) {
    // The handler stopped reading; its outcome (return or exception) closes the call. Until then,
    // take whatever the client still sends and drop it, so its flow-control credit comes back.
    stream.request(Integer.MAX_VALUE);
  }

  // ---- ServerStreamListener (transport thread) ----

  @Override
  public void onMessage(byte[] message, boolean wasCompressed) {
    if (!method.type.clientStreaming() && ++received > 1) {
      close(
          Status.INTERNAL.withDescription("More than one request for a " + method.type + " method"),
          null);
      return;
    }
    inbound.onMessage(message, wasCompressed);
  }

  @Override
  public void onHalfClose() {
    inbound.end(Status.OK);
    if (!method.type.clientStreaming() && !closed.get()) {
      if (received == 0) {
        close(Status.INTERNAL.withDescription("No request for a " + method.type + " method"), null);
      } else {
        dispatch();
      }
    }
  }

  @Override
  public void onReady() {
    gate.signal();
  }

  @Override
  public void onCancel(Status status) {
    List<Runnable> listeners;
    synchronized (cancelListeners) {
      cancelled = true; // before waking the handler, so that it sees isCancelled()
      listeners = new ArrayList<>(cancelListeners);
      cancelListeners.clear();
    }
    gate.end(status);
    closed.set(true);
    inbound.abort(status);
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
    return incoming.deadline() == null
        ? Optional.empty()
        : Optional.of(incoming.deadline().remaining());
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
      responseCompression = accepted(compression);
    }
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  @Override
  public boolean lastRequestCompressed() {
    return inbound.lastReadCompressed();
  }

  @Override
  public String authority() {
    return incoming.authority();
  }

  @Override
  public SocketAddress remoteAddress() {
    return incoming.remoteAddress();
  }
}
