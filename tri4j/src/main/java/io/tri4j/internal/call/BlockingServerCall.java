package io.tri4j.internal.call;

import io.tri4j.ServerContext;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.WriteStream;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.WireMessage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One server call with the blocking API: runs the handler on the executor, feeds it the requests
 * through {@link InboundMessages}, and writes its responses with back-pressure.
 *
 * <p>A handler of a method whose client sends one request starts once that request and the client's
 * half-close have arrived, so it never waits for them; a handler of a client-streaming method
 * starts at once.
 */
final class BlockingServerCall<Q, R> extends ServerCallBase<Q, R>
    implements InboundMessages.Control, WriteStream<R> {
  private final InboundMessages<Q> inbound;
  private final ReadyGate gate = new ReadyGate();
  private volatile boolean handlerStarted;
  private WireMessage request; // of a single-request method; transport thread only

  BlockingServerCall(
      ServerStream stream,
      ServerMethod<Q, R> method,
      Executor executor,
      IncomingCall incoming,
      String service,
      String methodName,
      io.tri4j.ServerCall<Q, R> intercepted,
      ShutdownNotice shutdown,
      TransportStats stats) {
    super(stream, method, executor, incoming, service, methodName, intercepted, shutdown);
    this.inbound = new InboundMessages<>(requestDeserializer, this, stats);
  }

  @Override
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
      close(refused(executor, e), null);
    }
  }

  private void run() {
    handlerStarted = true;
    ServerContext previous = ServerContexts.enter(this);
    try {
      method.handler.handle(inbound, this);
      close(Status.OK, null);
    } catch (Throwable t) {
      fail(t);
    } finally {
      ServerContexts.exit(previous);
      inbound.close();
    }
  }

  @Override
  void beforeClose(Status status) {
    gate.end(status); // before closed is set, so that a writer seeing closed finds the status
    if (!handlerStarted) {
      inbound.abort(status); // no handler will read the requests already queued
    }
  }

  // ---- WriteStream (handler thread) ----

  @Override
  public void write(R message) {
    if (closed) {
      gate.checkOpen(); // throws if the call was cancelled or failed
      throw new IllegalStateException("write() after doneWriting()");
    }
    io.tri4j.internal.codec.OutboundMessage bytes = serialize(message);
    if (!gate.await(stream::isReady, () -> {})) {
      throw new IllegalStateException("write() after doneWriting()");
    }
    send(bytes);
  }

  @Override
  public void doneWriting() {
    close(Status.OK, null);
  }

  // ---- InboundMessages.Control (request(n) is the core's) ----

  @Override
  public void abandon(Status status) {
    // The handler stopped reading; its outcome (return or exception) closes the call. Until then,
    // take whatever the client still sends and drop it, so its flow-control credit comes back.
    stream.request(Integer.MAX_VALUE);
  }

  // ---- ServerStreamListener (transport thread) ----

  @Override
  public void onMessage(WireMessage message) {
    if (!method.type.clientStreaming()) {
      try {
        request = SingleMessage.request(request, message, method.type);
      } catch (StatusException e) {
        close(e.getStatus(), null);
        return;
      }
    }
    inbound.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    inbound.end(Status.OK);
    if (!method.type.clientStreaming() && !closed) {
      try {
        SingleMessage.onlyRequest(request, method.type);
      } catch (StatusException e) {
        close(e.getStatus(), null);
        return;
      }
      dispatch();
    }
  }

  @Override
  public void onReady() {
    gate.signal();
  }

  @Override
  void cancelled(Status status) {
    gate.end(status);
    inbound.abort(status);
  }

  @Override
  public boolean lastRequestCompressed() {
    return inbound.lastReadCompressed();
  }
}
