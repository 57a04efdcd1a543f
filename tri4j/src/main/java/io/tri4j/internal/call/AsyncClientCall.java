package io.tri4j.internal.call;

import io.tri4j.CallHandle;
import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.RequestObserver;
import io.tri4j.Serializer;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.StreamObserver;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.WireMessage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client call with the async API: requests go out through {@link RequestObserver} without
 * blocking, responses come to a {@link StreamObserver} on the client's executor, one callback at a
 * time. It drives the same transport stream as the blocking {@link BlockingClientCall}.
 *
 * <p>Responses are requested from the transport a few at a time and one more after each {@code
 * onNext} returns, so a slow observer holds the server back instead of filling memory.
 */
final class AsyncClientCall<Q, R> implements ClientStreamListener, RequestObserver<Q>, CallHandle {
  /** Responses requested ahead of the observer. */
  static final int WINDOW = 8;

  private final ClientStream stream;
  private final Serializer<Q> serializer;
  private final Deserializer<R> deserializer;
  private final Compression compression;
  private final StreamObserver<R> responses;

  /** One response expected: the first window covers it, so none is requested after it. */
  private final boolean singleResponse;

  private final SerializingExecutor callbacks;
  private final AtomicBoolean terminated = new AtomicBoolean();
  private volatile Runnable onReadyHandler;
  private volatile boolean halfClosed;

  AsyncClientCall(
      ClientStream stream,
      Serializer<Q> serializer,
      Deserializer<R> deserializer,
      Compression compression,
      boolean singleResponse,
      StreamObserver<R> responses,
      Executor executor) {
    this.singleResponse = singleResponse;
    this.stream = stream;
    this.serializer = serializer;
    this.deserializer = deserializer;
    this.compression = compression;
    this.responses = responses;
    this.callbacks = new SerializingExecutor(executor);
  }

  void start() {
    stream.start(this);
    stream.request(WINDOW);
  }

  // ---- RequestObserver (application thread) ----

  @Override
  public void onNext(Q request) {
    if (halfClosed) {
      throw new IllegalStateException("onNext() after onCompleted()");
    }
    send(request, false);
  }

  /** Sends the one request of a unary or server-streaming call, and half-closes. */
  void sendLast(Q request) {
    halfClosed = true;
    send(request, true);
  }

  private void send(Q request, boolean last) {
    if (request == null) {
      throw new NullPointerException("request");
    }
    stream.writeMessage(
        CallFailures.serializeRequest(serializer, request, compression, stream::cancel), last);
  }

  @Override
  public void onCompleted() {
    if (!halfClosed) {
      halfClosed = true;
      stream.halfClose();
    }
  }

  @Override
  public void onError(Throwable error) {
    stream.cancel(
        Status.CANCELLED.withDescription("The request stream failed: " + error).withCause(error));
  }

  @Override
  public boolean isReady() {
    return stream.isReady();
  }

  @Override
  public void setOnReadyHandler(Runnable onReady) {
    this.onReadyHandler = onReady;
  }

  @Override
  public void cancel(String reason) {
    stream.cancel(Status.CANCELLED.withDescription(reason));
  }

  // ---- ClientStreamListener (transport thread) ----

  @Override
  public void onHeaders(Metadata headers) {}

  @Override
  public void onMessage(WireMessage message) {
    callbacks.execute(() -> deliver(message));
  }

  private void deliver(WireMessage message) {
    if (terminated.get()) {
      return;
    }
    R response;
    try {
      response = CallFailures.decode(deserializer, message);
    } catch (StatusException e) {
      failHere(e.getStatus());
      return;
    }
    try {
      responses.onNext(response);
    } catch (RuntimeException | Error e) {
      failHere(CallFailures.statusOr(e, Status.CANCELLED, "The response observer failed"));
      return;
    }
    if (!singleResponse) {
      stream.request(1);
    }
  }

  /**
   * A response could not be delivered (callbacks only): cancels the stream and ends the observer
   * with {@code status} now. The stream may already have ended with OK (its trailers were read with
   * the message), and then its close, queued behind this callback, must not report success.
   */
  private void failHere(Status status) {
    stream.cancel(status);
    if (terminated.compareAndSet(false, true)) {
      responses.onError(status.asException());
    }
  }

  @Override
  public void onReady() {
    Runnable handler = onReadyHandler;
    if (handler != null) {
      callbacks.execute(handler);
    }
  }

  @Override
  public void onTrailers(Status status, Metadata trailers) {}

  @Override
  public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
    callbacks.execute(
        () -> {
          if (!terminated.compareAndSet(false, true)) {
            return;
          }
          if (status.isOk()) {
            responses.onCompleted();
          } else {
            responses.onError(new StatusException(status, trailers));
          }
        });
  }
}
