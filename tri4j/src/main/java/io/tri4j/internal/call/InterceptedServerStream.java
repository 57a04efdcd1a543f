package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.ServerCall;
import io.tri4j.Status;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.util.function.BooleanSupplier;

/**
 * A server call's interceptor chain, seen by the blocking and async call classes as a stream: they
 * hand it responses held as objects ({@link OutboundMessage#HELD}), and it hands them requests the
 * chain already decoded ({@link WireMessage#decoded}) through {@link #listener}.
 */
final class InterceptedServerStream<Q, R> implements ServerStream {
  private final ServerCall<Q, R> call;

  InterceptedServerStream(ServerCall<Q, R> call) {
    this.call = call;
  }

  /**
   * The chain's listener that passes the requests on to {@code target}, a call class; {@code
   * compressed} tells whether the request being delivered came compressed.
   */
  static <Q> ServerCall.Listener<Q> listener(
      ServerStreamListener target, BooleanSupplier compressed) {
    return new ServerCall.Listener<>() {
      @Override
      public void onMessage(Q message) {
        target.onMessage(WireMessage.decoded(message, compressed.getAsBoolean()));
      }

      @Override
      public void onHalfClose() {
        target.onHalfClose();
      }

      @Override
      public void onCancel(Status status) {
        target.onCancel(status);
      }

      @Override
      public void onReady() {
        target.onReady();
      }
    };
  }

  @Override
  public void request(int n) {
    call.request(n);
  }

  @Override
  public void writeHeaders(Metadata headers, Compression compression) {
    call.setCompression(compression == null ? "identity" : compression.encoding());
    call.sendHeaders(headers);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void writeMessage(OutboundMessage message) {
    call.sendMessage((R) message.held());
  }

  @Override
  public void close(Status status, Metadata trailers) {
    call.close(status, trailers);
  }

  /** Not used: a chain's calls end through {@link #close}; the transport's stream is cancelled. */
  @Override
  public void cancel(Status status) {
    call.close(status, new Metadata());
  }

  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    call.setMessageCompression(enabled);
  }
}
