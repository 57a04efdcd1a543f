package io.tri4j.internal.call;

import io.tri4j.Status;

/**
 * A stream that could not be opened (no connection, no provider, deadline already passed): it
 * closes with its status as soon as it starts. Nothing reached a server.
 */
public final class FailedClientStream implements ClientStream {
  private final Status status;

  public FailedClientStream(Status status) {
    this.status = status;
  }

  @Override
  public void start(ClientStreamListener listener) {
    listener.onClose(status, new io.tri4j.Metadata(), CloseOrigin.LOCAL);
  }

  @Override
  public void request(int n) {}

  @Override
  public void writeMessage(io.tri4j.internal.codec.OutboundMessage message, boolean endOfStream) {}

  @Override
  public void halfClose() {}

  @Override
  public void cancel(Status status) {}

  @Override
  public boolean isReady() {
    return false;
  }
}
