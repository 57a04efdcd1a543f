package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.codec.WireMessage;
import java.util.concurrent.Future;

/**
 * A server stream whose call ends with {@code DEADLINE_EXCEEDED} when the client's deadline passes:
 * the transport's stream is {@linkplain ServerStream#cancel cancelled}, which tells the client and
 * the call. A reset by the client near the deadline counts as the deadline's too. Only calls with a
 * deadline pay for it: one object and one timer.
 */
final class DeadlineServerStream extends ForwardingServerStream
    implements ServerStreamListener, Runnable {
  private final Deadline deadline;
  private final Future<?> timer;
  private volatile ServerStreamListener listener;

  /** Starts timing {@code deadline}; the call's listener comes with {@link #listen}. */
  DeadlineServerStream(ServerStream delegate, Deadline deadline) {
    super(delegate);
    this.deadline = deadline;
    this.timer = deadline.whenExpired(this);
  }

  /**
   * Passes the stream's events on to {@code listener}, the call's; returns this stream's listener,
   * for the transport.
   */
  ServerStreamListener listen(ServerStreamListener listener) {
    this.listener = listener;
    return this;
  }

  /** The deadline passed: the timer's task. */
  @Override
  public void run() {
    delegate.cancel(Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded on the server"));
  }

  @Override
  public void close(Status status, Metadata trailers) {
    timer.cancel(false);
    super.close(status, trailers);
  }

  @Override
  public void cancel(Status status) {
    timer.cancel(false);
    super.cancel(status);
  }

  // ---- ServerStreamListener (transport thread) ----

  @Override
  public void onMessage(WireMessage message) {
    listener.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    listener.onHalfClose();
  }

  @Override
  public void onReady() {
    listener.onReady();
  }

  @Override
  public void onCancel(Status status) {
    timer.cancel(false);
    if (status.code() == Status.Code.CANCELLED && deadline.isNear()) {
      status = Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded (reset by the client)");
    }
    listener.onCancel(status);
  }
}
