package io.tri4j.internal.call;

import io.tri4j.ClientCall;
import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.Serializer;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.WireMessage;
import java.util.concurrent.Executor;

/**
 * The innermost call of a client's interceptor chain: serializes request messages onto a transport
 * stream, and decodes responses for the listener on the client's callback executor, one callback at
 * a time.
 */
final class TransportClientCall<Q, R> extends ClientCall<Q, R> implements ClientStreamListener {
  private final ClientTransport transport;
  private final String path;
  private final Serializer<Q> serializer;
  private final Deserializer<R> deserializer;
  private final Deadline deadline;
  private final boolean deadlineTimedAbove;
  private final Compression compression;
  private final SerializingExecutor callbacks;
  private volatile ClientStream stream;
  private volatile boolean messageCompression = true;
  private Listener<R> listener;
  private boolean closed; // callbacks only

  TransportClientCall(
      ClientTransport transport,
      String path,
      Serializer<Q> serializer,
      Deserializer<R> deserializer,
      Deadline deadline,
      boolean deadlineTimedAbove,
      Compression compression,
      Executor callbackExecutor) {
    this.transport = transport;
    this.path = path;
    this.serializer = serializer;
    this.deserializer = deserializer;
    this.deadline = deadline;
    this.deadlineTimedAbove = deadlineTimedAbove;
    this.compression = compression;
    this.callbacks = new SerializingExecutor(callbackExecutor);
  }

  @Override
  public void start(Listener<R> listener, Metadata headers) {
    if (stream != null) {
      throw new IllegalStateException("The call was already started");
    }
    this.listener = listener;
    ClientStream s = transport.newStream(path, headers, deadline, compression);
    // The caller times its deadline above the chain; one an interceptor changed is timed here.
    s =
        deadlineTimedAbove
            ? DeadlineClientStream.timedAbove(s, deadline)
            : DeadlineClientStream.of(s, deadline);
    stream = s;
    s.start(this);
  }

  @Override
  public void request(int n) {
    started().request(n);
  }

  @Override
  public void sendMessage(Q message) {
    ClientStream s = started();
    s.writeMessage(
        CallFailures.serializeRequest(
            serializer, message, messageCompression ? compression : null, s::cancel),
        false);
  }

  @Override
  public void halfClose() {
    started().halfClose();
  }

  @Override
  public void cancel(String message, Throwable cause) {
    ClientStream s = stream;
    if (s != null) {
      s.cancel(Status.CANCELLED.withDescription(message).withCause(cause));
    }
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  @Override
  public boolean isReady() {
    ClientStream s = stream;
    return s != null && s.isReady();
  }

  private ClientStream started() {
    ClientStream s = stream;
    if (s == null) {
      throw new IllegalStateException("The call was not started");
    }
    return s;
  }

  // ---- ClientStreamListener (transport thread): each event becomes a callback ----

  @Override
  public void onHeaders(Metadata headers) {
    callbacks.execute(
        () -> {
          if (!closed) {
            deliver(() -> listener.onHeaders(headers));
          }
        });
  }

  @Override
  public void onMessage(WireMessage message) {
    callbacks.execute(
        () -> {
          if (closed) {
            return;
          }
          R response;
          try {
            response = CallFailures.decode(deserializer, message);
          } catch (StatusException e) {
            failHere(e.getStatus());
            return;
          }
          deliver(() -> listener.onMessage(response));
        });
  }

  @Override
  public void onReady() {
    callbacks.execute(
        () -> {
          if (!closed) {
            deliver(listener::onReady);
          }
        });
  }

  @Override
  public void onTrailers(Status status, Metadata trailers) {}

  @Override
  public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
    callbacks.execute(
        () -> {
          if (!closed) {
            closed = true;
            listener.onClose(status, trailers);
          }
        });
  }

  /** Runs a listener callback; if it throws, the call is cancelled and ends with that failure. */
  private void deliver(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException | Error e) {
      failHere(CallFailures.statusOr(e, Status.CANCELLED, "A call listener failed"));
    }
  }

  /**
   * The call cannot go on (callbacks only): resets the stream and closes the listener with {@code
   * status} now, whatever the stream's own end says later.
   */
  private void failHere(Status status) {
    stream.cancel(status);
    closed = true;
    listener.onClose(status, new Metadata());
  }
}
