package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.codec.WireMessage;

/**
 * A listener that passes every event on to {@link #delegate()}: decorators of a client stream
 * override only the events they act on.
 */
public abstract class ForwardingClientStreamListener implements ClientStreamListener {

  /** The listener the events go on to. */
  protected abstract ClientStreamListener delegate();

  @Override
  public void onHeaders(Metadata headers) {
    delegate().onHeaders(headers);
  }

  @Override
  public void onMessage(WireMessage message) {
    delegate().onMessage(message);
  }

  @Override
  public void onReady() {
    delegate().onReady();
  }

  @Override
  public void onTrailers(Status status, Metadata trailers) {
    delegate().onTrailers(status, trailers);
  }

  @Override
  public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
    delegate().onClose(status, trailers, origin);
  }
}
