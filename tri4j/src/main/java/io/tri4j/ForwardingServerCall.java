package io.tri4j;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@link ServerCall} that passes everything to another: extend it and override what an
 * interceptor changes, such as the headers in {@link #sendHeaders} or the status in {@link #close}.
 */
public class ForwardingServerCall<Q, R> extends ServerCall<Q, R> {
  private final ServerCall<Q, R> delegate;

  /** A call that hands every method to {@code delegate}. */
  protected ForwardingServerCall(ServerCall<Q, R> delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** The call everything goes to. */
  protected final ServerCall<Q, R> delegate() {
    return delegate;
  }

  @Override
  public MethodInfo method() {
    return delegate.method();
  }

  @Override
  public void request(int n) {
    delegate.request(n);
  }

  @Override
  public void sendHeaders(Metadata headers) {
    delegate.sendHeaders(headers);
  }

  @Override
  public void sendMessage(R message) {
    delegate.sendMessage(message);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    delegate.close(status, trailers);
  }

  @Override
  public boolean isReady() {
    return delegate.isReady();
  }

  @Override
  public boolean isCancelled() {
    return delegate.isCancelled();
  }

  @Override
  public void setCompression(String encoding) {
    delegate.setCompression(encoding);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate.setMessageCompression(enabled);
  }

  @Override
  public Optional<Duration> timeRemaining() {
    return delegate.timeRemaining();
  }

  @Override
  public String authority() {
    return delegate.authority();
  }

  @Override
  public SocketAddress remoteAddress() {
    return delegate.remoteAddress();
  }

  @Override
  public Optional<PeerIdentity> peerIdentity() {
    return delegate.peerIdentity();
  }

  @Override
  public void addStreamTracer(StreamTracer tracer) {
    delegate.addStreamTracer(tracer);
  }

  @Override
  public long startNanoTime() {
    return delegate.startNanoTime();
  }

  @Override
  public <T> T value(CallKey<T> key) {
    return delegate.value(key);
  }

  @Override
  public <T> void setValue(CallKey<T> key, T value) {
    delegate.setValue(key, value);
  }
}
