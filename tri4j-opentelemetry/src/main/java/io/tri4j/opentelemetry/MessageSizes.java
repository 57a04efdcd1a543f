package io.tri4j.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.tri4j.StreamTracer;

/**
 * The bytes of a call's (or an attempt's) messages each way, and an event on its span for each
 * message if it has one.
 */
class MessageSizes extends StreamTracer {
  final Span span; // null: not traced
  // One writer at a time for each direction; read once the call has ended.
  volatile long sent;
  volatile long received;
  private volatile long sentCount;
  private volatile long receivedCount;

  MessageSizes(Span span) {
    this.span = span;
  }

  @Override
  public void outboundMessage(int wireSize) {
    sent += wireSize;
    Tracing.message(span, "Outbound message", sentCount++, wireSize);
  }

  @Override
  public void inboundMessage(int wireSize) {
    received += wireSize;
    Tracing.message(span, "Inbound message", receivedCount++, wireSize);
  }
}
