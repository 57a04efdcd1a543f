package io.tri4j;

/**
 * A {@link ClientCall} that passes everything to another: extend it and override what an
 * interceptor changes.
 *
 * <pre>{@code
 * return new ForwardingClientCall<>(next.newCall(options)) {
 *   public void start(Listener<R> listener, Metadata headers) {
 *     headers.put("x-request-id", newId());
 *     super.start(listener, headers);
 *   }
 * };
 * }</pre>
 */
public class ForwardingClientCall<Q, R> extends ClientCall<Q, R> {
  private final ClientCall<Q, R> delegate;

  /** A call that hands every method to {@code delegate}. */
  protected ForwardingClientCall(ClientCall<Q, R> delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** The call everything goes to. */
  protected final ClientCall<Q, R> delegate() {
    return delegate;
  }

  @Override
  public void start(Listener<R> listener, Metadata headers) {
    delegate.start(listener, headers);
  }

  @Override
  public void request(int n) {
    delegate.request(n);
  }

  @Override
  public void sendMessage(Q message) {
    delegate.sendMessage(message);
  }

  @Override
  public void halfClose() {
    delegate.halfClose();
  }

  @Override
  public void cancel(String message, Throwable cause) {
    delegate.cancel(message, cause);
  }

  @Override
  public boolean isReady() {
    return delegate.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate.setMessageCompression(enabled);
  }
}
