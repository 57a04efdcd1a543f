package io.tri4j;

import io.tri4j.internal.call.StreamHandler;
import java.util.Iterator;
import java.util.Objects;

/**
 * How the server runs one method: the handler, and the functions that turn request bytes into
 * messages and response messages into bytes. Made by one of four factories, one per call style, as
 * in the seed's {@code RpcMethodHandler.unary/client_stream/server_stream/bi_stream}:
 *
 * <pre>{@code
 * RpcMethodHandler.unary(
 *     request -> GreeterReply.newBuilder().setMessage("hello " + request.getName()).build(),
 *     GreeterRequest::parseFrom,
 *     GreeterReply::toByteArray);
 * }</pre>
 *
 * <p>Streaming handlers come in two forms. The <em>iterator</em> form returns an {@link Iterator}
 * of responses, like the seed's generator with {@code yield}: each response is sent as soon as the
 * iterator produces it. The <em>writer</em> form receives a {@link WriteStream} and writes the
 * responses itself. Requests of a client- or bidi-streaming method are read from a {@link
 * ReadStream}, as in the seed's {@code for request in request_stream}.
 *
 * <h2>Threads and errors</h2>
 *
 * A handler runs on the server's executor (a virtual thread per call on JDK 21+), never on a
 * network thread, so it may block. Returning ends the call with {@code OK}. Throwing a {@link
 * StatusException} ends it with that status; any other exception ends it with {@code UNKNOWN} and
 * the exception's message. Either way the server keeps serving.
 */
public final class RpcMethodHandler<Q, R> {

  /** A unary handler: one request, one response. */
  @FunctionalInterface
  public interface Unary<Q, R> {
    R handle(Q request) throws Exception;
  }

  /** A client-streaming handler: reads the requests, returns the one response. */
  @FunctionalInterface
  public interface ClientStreaming<Q, R> {
    R handle(ReadStream<Q> requests) throws Exception;
  }

  /** A server-streaming handler in iterator form: one request, the responses as an iterator. */
  @FunctionalInterface
  public interface ServerStreaming<Q, R> {
    Iterator<R> handle(Q request) throws Exception;
  }

  /** A server-streaming handler in writer form: one request, responses written as they come. */
  @FunctionalInterface
  public interface ServerStreamingWriter<Q, R> {
    void handle(Q request, WriteStream<R> responses) throws Exception;
  }

  /** A bidi-streaming handler in iterator form: reads the requests, returns the responses. */
  @FunctionalInterface
  public interface BidiStreaming<Q, R> {
    Iterator<R> handle(ReadStream<Q> requests) throws Exception;
  }

  /** A bidi-streaming handler in writer form: reads requests and writes responses at will. */
  @FunctionalInterface
  public interface BidiStreamingWriter<Q, R> {
    void handle(ReadStream<Q> requests, WriteStream<R> responses) throws Exception;
  }

  private final MethodType type;
  private final Deserializer<Q> requestDeserializer;
  private final Serializer<R> responseSerializer;
  private final StreamHandler<Q, R> handler;

  private RpcMethodHandler(
      MethodType type,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer,
      StreamHandler<Q, R> handler) {
    this.type = type;
    this.requestDeserializer = Objects.requireNonNull(requestDeserializer, "requestDeserializer");
    this.responseSerializer = Objects.requireNonNull(responseSerializer, "responseSerializer");
    this.handler = handler;
  }

  public static <Q, R> RpcMethodHandler<Q, R> unary(
      Unary<Q, R> handler, Deserializer<Q> requestDeserializer, Serializer<R> responseSerializer) {
    Objects.requireNonNull(handler, "handler");
    return new RpcMethodHandler<>(
        MethodType.UNARY,
        requestDeserializer,
        responseSerializer,
        (requests, responses) -> responses.write(handler.handle(requests.read())));
  }

  public static <Q, R> RpcMethodHandler<Q, R> clientStream(
      ClientStreaming<Q, R> handler,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer) {
    Objects.requireNonNull(handler, "handler");
    return new RpcMethodHandler<>(
        MethodType.CLIENT_STREAMING,
        requestDeserializer,
        responseSerializer,
        (requests, responses) -> responses.write(handler.handle(requests)));
  }

  public static <Q, R> RpcMethodHandler<Q, R> serverStream(
      ServerStreaming<Q, R> handler,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer) {
    Objects.requireNonNull(handler, "handler");
    return new RpcMethodHandler<>(
        MethodType.SERVER_STREAMING,
        requestDeserializer,
        responseSerializer,
        (requests, responses) -> writeAll(handler.handle(requests.read()), responses));
  }

  public static <Q, R> RpcMethodHandler<Q, R> serverStream(
      ServerStreamingWriter<Q, R> handler,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer) {
    Objects.requireNonNull(handler, "handler");
    return new RpcMethodHandler<>(
        MethodType.SERVER_STREAMING,
        requestDeserializer,
        responseSerializer,
        (requests, responses) -> handler.handle(requests.read(), responses));
  }

  public static <Q, R> RpcMethodHandler<Q, R> biStream(
      BidiStreaming<Q, R> handler,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer) {
    Objects.requireNonNull(handler, "handler");
    return new RpcMethodHandler<>(
        MethodType.BIDI_STREAMING,
        requestDeserializer,
        responseSerializer,
        (requests, responses) -> writeAll(handler.handle(requests), responses));
  }

  public static <Q, R> RpcMethodHandler<Q, R> biStream(
      BidiStreamingWriter<Q, R> handler,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer) {
    Objects.requireNonNull(handler, "handler");
    return new RpcMethodHandler<>(
        MethodType.BIDI_STREAMING, requestDeserializer, responseSerializer, handler::handle);
  }

  private static <R> void writeAll(Iterator<R> responses, WriteStream<R> out) {
    if (responses == null) {
      throw Status.INTERNAL.withDescription("The handler returned no iterator").asException();
    }
    while (responses.hasNext()) {
      out.write(responses.next());
    }
  }

  public MethodType type() {
    return type;
  }

  public Deserializer<Q> requestDeserializer() {
    return requestDeserializer;
  }

  public Serializer<R> responseSerializer() {
    return responseSerializer;
  }

  /** The handler in its one internal shape. */
  StreamHandler<Q, R> streamHandler() {
    return handler;
  }
}
