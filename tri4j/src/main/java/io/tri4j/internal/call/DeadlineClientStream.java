package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.codec.OutboundMessage;
import java.util.concurrent.Future;

/**
 * A client stream that ends with {@code DEADLINE_EXCEEDED} at its call's deadline: it cancels the
 * stream below, whatever that is (the transport's, or an interceptor chain that may not have
 * reached the transport yet), and an end that the cancellation or a reset near the deadline brings
 * is reported as the deadline's. Only calls with a deadline pay for it: one object and one timer.
 */
final class DeadlineClientStream extends ForwardingClientStreamListener
    implements ClientStream, Runnable {
  private final ClientStream delegate;
  private final Deadline deadline;
  private final boolean armed;
  private ClientStreamListener listener;
  private volatile Future<?> timer;
  private volatile boolean expired;
  private volatile boolean closed;
  private boolean trailersReceived; // transport thread only

  /**
   * @param armed whether this stream times the deadline; a stream under one that already does only
   *     reports the end it brings as the deadline's
   */
  private DeadlineClientStream(ClientStream delegate, Deadline deadline, boolean armed) {
    this.delegate = delegate;
    this.deadline = deadline;
    this.armed = armed;
  }

  /** {@code stream}, ending at {@code deadline} if it is not null. */
  static ClientStream of(ClientStream stream, Deadline deadline) {
    return deadline == null ? stream : new DeadlineClientStream(stream, deadline, true);
  }

  /**
   * {@code stream}, under a stream that already times {@code deadline}: its cancellation once the
   * deadline passed, and a reset by the server near it, end it with {@code DEADLINE_EXCEEDED}.
   */
  static ClientStream timedAbove(ClientStream stream, Deadline deadline) {
    return deadline == null ? stream : new DeadlineClientStream(stream, deadline, false);
  }

  private static Status exceeded() {
    return Status.DEADLINE_EXCEEDED.withDescription(
        "Deadline exceeded: no response within the call's timeout");
  }

  /** The deadline passed: the timer's task. */
  @Override
  public void run() {
    expired = true;
    delegate.cancel(exceeded());
  }

  @Override
  public void start(ClientStreamListener listener) {
    this.listener = listener;
    delegate.start(this);
    // Armed once started: a stream that could not be opened (a deadline already passed, no
    // connection) has ended with its own status.
    if (armed && !closed) {
      Future<?> t = deadline.whenExpired(this);
      timer = t;
      if (closed) {
        t.cancel(false);
      }
    }
  }

  @Override
  public void request(int n) {
    delegate.request(n);
  }

  @Override
  public void writeMessage(OutboundMessage message, boolean endOfStream) {
    delegate.writeMessage(message, endOfStream);
  }

  @Override
  public void halfClose() {
    delegate.halfClose();
  }

  @Override
  public void cancel(Status status) {
    delegate.cancel(
        status.code() == Status.Code.CANCELLED && deadline.isExpired() ? exceeded() : status);
  }

  @Override
  public boolean isReady() {
    return delegate.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate.setMessageCompression(enabled);
  }

  // ---- ClientStreamListener (transport thread) ----

  @Override
  protected ClientStreamListener delegate() {
    return listener;
  }

  @Override
  public void onTrailers(Status status, Metadata trailers) {
    trailersReceived = true;
    listener.onTrailers(status, trailers);
  }

  @Override
  public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
    closed = true;
    Future<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
    if (status.code() == Status.Code.CANCELLED) {
      if (expired) {
        status = exceeded(); // the cancellation this stream asked for, as it came back up
      } else if (origin == CloseOrigin.PEER && !trailersReceived && deadline.isNear()) {
        status =
            Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded (reset by the server)");
      }
    }
    listener.onClose(status, trailers, origin);
  }
}
