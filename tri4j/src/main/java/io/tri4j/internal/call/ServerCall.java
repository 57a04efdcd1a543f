package io.tri4j.internal.call;

import io.tri4j.Status;
import io.tri4j.WriteStream;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server call with the blocking API: runs the handler on the executor, feeds it the requests
 * through {@link InboundMessages}, and writes its responses with back-pressure.
 *
 * <p>A handler of a method whose client sends one request starts once that request and the client's
 * half-close have arrived, so it never waits for them; a handler of a client-streaming method
 * starts at once.
 */
final class ServerCall<Q, R>
    implements ServerStreamListener, InboundMessages.Control, WriteStream<R> {
  private static final Logger log = LoggerFactory.getLogger(ServerCall.class);

  private final ServerStream stream;
  private final ServerMethod<Q, R> method;
  private final Executor executor;
  private final String path;
  private final InboundMessages<Q> inbound;
  private final ReadyGate gate = new ReadyGate();
  private final AtomicBoolean closed = new AtomicBoolean();
  private int received; // transport thread only

  ServerCall(ServerStream stream, ServerMethod<Q, R> method, Executor executor, String path) {
    this.stream = stream;
    this.method = method;
    this.executor = executor;
    this.path = path;
    this.inbound = new InboundMessages<>(method.requestDeserializer, this);
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
      close(Status.UNAVAILABLE.withDescription("The server is shutting down").withCause(e));
    }
  }

  private void run() {
    try {
      method.handler.handle(inbound, this);
      close(Status.OK);
    } catch (Throwable t) {
      Status status = Status.fromThrowable(t);
      if (status.code() == Status.Code.UNKNOWN) {
        log.warn("Handler of {} failed", path, t);
      } else {
        log.debug("Handler of {} ended with {}", path, status);
      }
      close(status);
    } finally {
      inbound.close();
    }
  }

  private void close(Status status) {
    if (closed.get()) {
      return;
    }
    gate.end(status); // before closed is set, so that a writer seeing closed finds the status
    if (closed.compareAndSet(false, true)) {
      stream.close(status);
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
      bytes = method.responseSerializer.serialize(message);
    } catch (Exception | LinkageError e) {
      throw Status.INTERNAL
          .withDescription("Failed to serialize a response: " + e)
          .withCause(e)
          .asException();
    }
    if (!gate.await(stream::isReady, () -> {})) {
      throw new IllegalStateException("write() after doneWriting()");
    }
    stream.writeMessage(bytes);
  }

  @Override
  public void doneWriting() {
    close(Status.OK);
  }

  // ---- InboundMessages.Control ----

  @Override
  public void request(int n) {
    stream.request(n);
  }

  @Override
  public void abandon(Status status) {
    // The handler stopped reading; its outcome (return or exception) closes the call.
  }

  // ---- ServerStreamListener (transport thread) ----

  @Override
  public void onMessage(byte[] message) {
    if (!method.type.clientStreaming() && ++received > 1) {
      close(
          Status.INTERNAL.withDescription(
              "More than one request for a " + method.type + " method"));
      return;
    }
    inbound.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    inbound.end(Status.OK);
    if (!method.type.clientStreaming() && !closed.get()) {
      if (received == 0) {
        close(Status.INTERNAL.withDescription("No request for a " + method.type + " method"));
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
    gate.end(status);
    closed.set(true);
    inbound.abort(status);
  }
}
