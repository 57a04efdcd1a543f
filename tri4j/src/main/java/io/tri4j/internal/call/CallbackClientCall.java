package io.tri4j.internal.call;

import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.Serializer;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.WireMessage;
import java.util.concurrent.Executor;

/**
 * A client call whose events go to its face on the client's callback executor, one at a time:
 * responses decoded there and handed on, then the call's one end, whether the stream ended or a
 * response could not be handed on. The async API's {@link AsyncClientCall} is one, and the bottom
 * of an interceptor chain ({@link TransportClientCall}) holds one.
 */
abstract class CallbackClientCall<Q, R> extends ClientCallCore<Q> implements ClientStreamListener {
  private final Deserializer<R> deserializer;
  final SerializingExecutor callbacks;
  private boolean closed; // callbacks only

  CallbackClientCall(
      Serializer<Q> serializer,
      Deserializer<R> deserializer,
      Compression compression,
      Executor callbackExecutor) {
    super(serializer, compression);
    this.deserializer = deserializer;
    this.callbacks = new SerializingExecutor(callbackExecutor);
  }

  /** One response for the face (callbacks only); a throw ends the call ({@link #failed}). */
  abstract void response(R response);

  /** The call ended with {@code status} (callbacks only, once). */
  abstract void closed(Status status, Metadata trailers);

  /** The status of a call whose face threw {@code e} on an event. */
  abstract Status failed(Throwable e);

  /**
   * Runs an event of the face (callbacks only) unless the call has ended; if it throws, the call
   * ends with the failure.
   */
  final void deliverUnlessClosed(Runnable event) {
    if (closed) {
      return;
    }
    try {
      event.run();
    } catch (RuntimeException | Error e) {
      failHere(failed(e));
    }
  }

  // ---- ClientStreamListener (transport thread) ----

  @Override
  public void onMessage(WireMessage message) {
    callbacks.execute(
        new SerializingExecutor.LinkedTask() {
          @Override
          public void run() {
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
            try {
              response(response);
            } catch (RuntimeException | Error e) {
              failHere(failed(e));
            }
          }
        });
  }

  @Override
  public void onTrailers(Status status, Metadata trailers) {}

  @Override
  public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
    callbacks.execute(
        new SerializingExecutor.LinkedTask() {
          @Override
          public void run() {
            if (!closed) {
              closed = true;
              closed(status, trailers);
            }
          }
        });
  }

  /**
   * The call cannot go on (callbacks only): resets the stream and ends the face with {@code status}
   * now. The stream may already have ended with OK (its trailers were read with the message), and
   * then its close, queued behind this callback, must not report success.
   */
  private void failHere(Status status) {
    stream.cancel(status);
    if (!closed) {
      closed = true;
      closed(status, new Metadata());
    }
  }
}
