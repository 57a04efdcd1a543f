package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.Status;
import io.tri4j.StreamTracer;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.util.List;

/**
 * One attempt of a client call with its {@link StreamTracer}s: tells them the size of each message
 * either way and the attempt's end. Only calls given tracers have one.
 */
final class TracedClientStream extends ForwardingClientStreamListener implements ClientStream {
  private final ClientStream stream;
  private final StreamTracer[] tracers;
  private ClientStreamListener listener;

  private TracedClientStream(ClientStream stream, StreamTracer[] tracers) {
    this.stream = stream;
    this.tracers = tracers;
  }

  /**
   * A new attempt on {@code transport}: each of {@code factories} makes its tracer, and may add to
   * a copy of {@code headers} that this attempt sends.
   */
  static ClientStream open(
      ClientTransport transport,
      MethodInfo method,
      Metadata headers,
      Deadline deadline,
      io.tri4j.internal.codec.Compression compression,
      List<StreamTracer.Factory> factories,
      int previousAttempts,
      boolean transparentRetry) {
    Metadata own = new Metadata(headers);
    StreamTracer[] tracers = new StreamTracer[factories.size()];
    for (int i = 0; i < tracers.length; i++) {
      tracers[i] = factories.get(i).newAttempt(previousAttempts, transparentRetry, own);
    }
    return new TracedClientStream(transport.newStream(method, own, deadline, compression), tracers);
  }

  @Override
  protected ClientStreamListener delegate() {
    return listener;
  }

  @Override
  public void start(ClientStreamListener listener) {
    this.listener = listener;
    stream.start(this);
  }

  @Override
  public void request(int n) {
    stream.request(n);
  }

  @Override
  public void writeMessage(OutboundMessage message, boolean endOfStream) {
    for (StreamTracer tracer : tracers) {
      tracer.outboundMessage(message.size());
    }
    stream.writeMessage(message, endOfStream);
  }

  @Override
  public void halfClose() {
    stream.halfClose();
  }

  @Override
  public void cancel(Status status) {
    stream.cancel(status);
  }

  @Override
  public boolean isReady() {
    return stream.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    stream.setMessageCompression(enabled);
  }

  // ---- the attempt's events ----

  @Override
  public void onMessage(WireMessage message) {
    for (StreamTracer tracer : tracers) {
      tracer.inboundMessage(message.wireSize());
    }
    listener.onMessage(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
    for (StreamTracer tracer : tracers) {
      tracer.attemptClosed(status);
    }
    listener.onClose(status, trailers, origin);
  }
}
