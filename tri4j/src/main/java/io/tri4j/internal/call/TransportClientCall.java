package io.tri4j.internal.call;

import io.tri4j.ClientCall;
import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.Serializer;
import io.tri4j.Status;
import io.tri4j.StreamTracer;
import io.tri4j.internal.codec.Compression;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The innermost call of a client's interceptor chain: a {@link ClientCall} face over the call's
 * {@link CallbackClientCall}, which serializes request messages onto a transport stream and decodes
 * responses for the listener on the client's callback executor, one callback at a time.
 */
final class TransportClientCall<Q, R> extends ClientCall<Q, R> {
  private final ClientTransport transport;
  private final MethodInfo method;
  private final Deadline deadline;
  private final boolean deadlineTimedAbove;
  private final Compression compression;
  private final List<StreamTracer.Factory> tracers;
  private final Core core;
  private Listener<R> listener;

  TransportClientCall(
      ClientTransport transport,
      MethodInfo method,
      Serializer<Q> serializer,
      Deserializer<R> deserializer,
      Deadline deadline,
      boolean deadlineTimedAbove,
      Compression compression,
      List<StreamTracer.Factory> tracers,
      Executor callbackExecutor) {
    this.transport = transport;
    this.method = method;
    this.deadline = deadline;
    this.deadlineTimedAbove = deadlineTimedAbove;
    this.compression = compression;
    this.tracers = tracers;
    this.core = new Core(serializer, deserializer, compression, callbackExecutor);
  }

  /** The core, its events going to the chain's listener. */
  private final class Core extends CallbackClientCall<Q, R> {
    Core(
        Serializer<Q> serializer,
        Deserializer<R> deserializer,
        Compression compression,
        Executor callbackExecutor) {
      super(serializer, deserializer, compression, callbackExecutor);
    }

    @Override
    public void onHeaders(Metadata headers) {
      callbacks.execute(() -> deliverUnlessClosed(() -> listener.onHeaders(headers)));
    }

    @Override
    public void onReady() {
      callbacks.execute(() -> deliverUnlessClosed(listener::onReady));
    }

    @Override
    void response(R response) {
      listener.onMessage(response);
    }

    @Override
    Status failed(Throwable e) {
      return CallFailures.statusOr(e, Status.CANCELLED, "A call listener failed");
    }

    @Override
    void closed(Status status, Metadata trailers) {
      listener.onClose(status, trailers);
    }
  }

  @Override
  public void start(Listener<R> listener, Metadata headers) {
    if (core.stream != null) {
      throw new IllegalStateException("The call was already started");
    }
    this.listener = listener;
    ClientStream s = transport.newStream(method, headers, deadline, compression, tracers);
    // The caller times its deadline above the chain; one an interceptor changed is timed here.
    s =
        deadlineTimedAbove
            ? DeadlineClientStream.timedAbove(s, deadline)
            : DeadlineClientStream.of(s, deadline);
    core.stream = s;
    s.start(core);
  }

  @Override
  public void request(int n) {
    started().request(n);
  }

  @Override
  public void sendMessage(Q message) {
    started();
    core.sendRequest(message, false);
  }

  @Override
  public void halfClose() {
    started().halfClose();
  }

  @Override
  public void cancel(String message, Throwable cause) {
    ClientStream s = core.stream;
    if (s != null) {
      s.cancel(Status.CANCELLED.withDescription(message).withCause(cause));
    }
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    core.setMessageCompression(enabled);
  }

  @Override
  public boolean isReady() {
    ClientStream s = core.stream;
    return s != null && s.isReady();
  }

  private ClientStream started() {
    ClientStream s = core.stream;
    if (s == null) {
      throw new IllegalStateException("The call was not started");
    }
    return s;
  }
}
