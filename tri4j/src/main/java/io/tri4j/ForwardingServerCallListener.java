package io.tri4j;

/**
 * A {@link ServerCall.Listener} that passes every event to another: extend it and override what an
 * interceptor watches, such as each request in {@link #onMessage}.
 */
public class ForwardingServerCallListener<Q> extends ServerCall.Listener<Q> {
  private final ServerCall.Listener<Q> delegate;

  /** A listener that hands every event to {@code delegate}. */
  protected ForwardingServerCallListener(ServerCall.Listener<Q> delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** The listener every event goes to. */
  protected final ServerCall.Listener<Q> delegate() {
    return delegate;
  }

  @Override
  public void onMessage(Q message) {
    delegate.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    delegate.onHalfClose();
  }

  @Override
  public void onCancel(Status status) {
    delegate.onCancel(status);
  }

  @Override
  public void onReady() {
    delegate.onReady();
  }
}
