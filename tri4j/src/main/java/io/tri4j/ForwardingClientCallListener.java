package io.tri4j;

/**
 * A {@link ClientCall.Listener} that passes every event to another: extend it and override what an
 * interceptor watches or changes, such as the status and trailers in {@link #onClose}.
 */
public class ForwardingClientCallListener<R> extends ClientCall.Listener<R> {
  private final ClientCall.Listener<R> delegate;

  /** A listener that hands every event to {@code delegate}. */
  protected ForwardingClientCallListener(ClientCall.Listener<R> delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** The listener every event goes to. */
  protected final ClientCall.Listener<R> delegate() {
    return delegate;
  }

  @Override
  public void onHeaders(Metadata headers) {
    delegate.onHeaders(headers);
  }

  @Override
  public void onMessage(R message) {
    delegate.onMessage(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    delegate.onClose(status, trailers);
  }

  @Override
  public void onReady() {
    delegate.onReady();
  }
}
