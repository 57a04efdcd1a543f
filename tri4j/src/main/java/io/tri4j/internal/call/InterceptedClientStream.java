package io.tri4j.internal.call;

import io.tri4j.CallOptions;
import io.tri4j.ClientCall;
import io.tri4j.ClientInterceptor;
import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.Serializer;
import io.tri4j.Status;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.util.List;

/**
 * A client call's interceptor chain, seen by the blocking and async call classes as a stream: they
 * hand it messages held as objects ({@link OutboundMessage#HELD}) and read back messages the chain
 * already decoded ({@link WireMessage#decoded}). At the bottom of the chain a {@link
 * TransportClientCall} serializes onto the real stream.
 */
final class InterceptedClientStream<Q, R> implements ClientStream {
  private final ClientCall<Q, R> call;
  private final Metadata headers;

  private InterceptedClientStream(ClientCall<Q, R> call, Metadata headers) {
    this.call = call;
    this.headers = headers;
  }

  /**
   * The chain of {@code interceptors}, first outermost, over a call to {@code method} on {@code
   * target}'s transport. The options an interceptor passes on decide the deadline and compression
   * of the call below it; the deadline counts from now, however long an interceptor defers the
   * call. {@code deadline} is the call's own, which the caller times above the chain.
   */
  static <Q, R> ClientStream open(
      CallTarget target,
      MethodInfo method,
      Serializer<Q> serializer,
      Deserializer<R> deserializer,
      CallOptions options,
      Deadline deadline,
      List<ClientInterceptor> interceptors) {
    ClientCall.Factory<Q, R> transport =
        opts -> {
          boolean same = java.util.Objects.equals(opts.timeout(), options.timeout());
          return new TransportClientCall<>(
              target.transport(),
              method,
              serializer,
              deserializer,
              same ? deadline : ClientCalls.deadline(target, opts),
              same,
              ClientCalls.compression(target, opts),
              opts.streamTracers(),
              target.callbackExecutor());
        };
    return new InterceptedClientStream<>(
        chain(interceptors, 0, method, options, transport), options.headers());
  }

  private static <Q, R> ClientCall<Q, R> chain(
      List<ClientInterceptor> interceptors,
      int index,
      MethodInfo method,
      CallOptions options,
      ClientCall.Factory<Q, R> transport) {
    if (index == interceptors.size()) {
      return transport.newCall(options);
    }
    ClientCall<Q, R> call =
        interceptors
            .get(index)
            .interceptCall(
                method, options, opts -> chain(interceptors, index + 1, method, opts, transport));
    if (call == null) {
      throw new NullPointerException(
          "Client interceptor " + interceptors.get(index) + " returned no call");
    }
    return call;
  }

  @Override
  public void start(ClientStreamListener listener) {
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onHeaders(Metadata metadata) {
            listener.onHeaders(metadata);
          }

          @Override
          public void onMessage(R message) {
            listener.onMessage(WireMessage.decoded(message, false));
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            listener.onTrailers(status, trailers);
            // Retries are made below the chain: nothing above it reads the origin.
            listener.onClose(status, trailers, CloseOrigin.PEER);
          }

          @Override
          public void onReady() {
            listener.onReady();
          }
        },
        headers);
  }

  @Override
  public void request(int n) {
    call.request(n);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void writeMessage(OutboundMessage message, boolean endOfStream) {
    call.sendMessage((Q) message.held());
    if (endOfStream) {
      call.halfClose();
    }
  }

  @Override
  public void halfClose() {
    call.halfClose();
  }

  @Override
  public void cancel(Status status) {
    call.cancel(status.description(), status.cause());
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
