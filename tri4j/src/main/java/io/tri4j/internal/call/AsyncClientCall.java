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
import java.util.concurrent.Executor;

/**
 * One client call with the async API, a face over {@link CallbackClientCall}: requests go out
 * through {@link RequestObserver} without blocking, responses come to a {@link StreamObserver} on
 * the client's executor, one callback at a time.
 *
 * <p>Responses are requested from the transport a few at a time and one more after each {@code
 * onNext} returns, so a slow observer holds the server back instead of filling memory.
 */
final class AsyncClientCall<Q, R> extends CallbackClientCall<Q, R>
    implements RequestObserver<Q>, CallHandle {
  /** Responses requested ahead of the observer. */
  static final int WINDOW = 8;

  private final StreamObserver<R> responses;

  /** One response expected: the first window covers it, so none is requested after it. */
  private final boolean singleResponse;

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
    super(serializer, deserializer, compression, executor);
    this.stream = stream;
    this.singleResponse = singleResponse;
    this.responses = responses;
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
    sendRequest(request, false);
  }

  /** Sends the one request of a unary or server-streaming call, and half-closes. */
  void sendLast(Q request) {
    halfClosed = true;
    sendRequest(request, true);
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
    cancel(Status.CANCELLED.withDescription(reason));
  }

  // ---- the core's events ----

  @Override
  public void onHeaders(Metadata headers) {}

  @Override
  public void onReady() {
    Runnable handler = onReadyHandler;
    if (handler != null) {
      callbacks.execute(handler);
    }
  }

  @Override
  void response(R response) {
    responses.onNext(response);
    if (!singleResponse) {
      stream.request(1);
    }
  }

  @Override
  Status failed(Throwable e) {
    return CallFailures.statusOr(e, Status.CANCELLED, "The response observer failed");
  }

  @Override
  void closed(Status status, Metadata trailers) {
    if (status.isOk()) {
      responses.onCompleted();
    } else {
      responses.onError(new StatusException(status, trailers));
    }
  }
}
