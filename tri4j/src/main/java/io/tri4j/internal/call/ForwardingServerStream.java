package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;

/**
 * A server stream that passes everything on to another: the base of streams that change one thing
 * about a call (when it ends, what its status says) and nothing else.
 */
abstract class ForwardingServerStream implements ServerStream {
  final ServerStream delegate;

  ForwardingServerStream(ServerStream delegate) {
    this.delegate = delegate;
  }

  @Override
  public void request(int n) {
    delegate.request(n);
  }

  @Override
  public void writeHeaders(Metadata headers, Compression compression) {
    delegate.writeHeaders(headers, compression);
  }

  @Override
  public void writeMessage(OutboundMessage message) {
    delegate.writeMessage(message);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    delegate.close(status, trailers);
  }

  @Override
  public void cancel(Status status) {
    delegate.cancel(status);
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
