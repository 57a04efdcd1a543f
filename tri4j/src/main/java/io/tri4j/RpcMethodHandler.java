package io.tri4j;

import io.tri4j.internal.call.AsyncHandler;
import io.tri4j.internal.call.SingleRequestAsync;
import io.tri4j.internal.call.StreamHandler;
import java.util.Iterator;
import java.util.Objects;

/**
 * How the server runs one method: the handler, and the functions that turn request bytes into
 * messages and response messages into bytes. Made by one of four factories, one per call style, as
 * in dubbo-python's {@code RpcMethodHandler.unary/client_stream/server_stream/bi_stream}:
 *
 * <pre>{@code
 * RpcMethodHandler.unary(
 *     request -> GreeterReply.newBuilder().setMessage("hello " + request.getName()).build(),
 *     GreeterRequest::parseFrom,
 *     GreeterReply::toByteArray);
 * }</pre>
 *
 * <p>Streaming handlers come in two forms. The <em>iterator</em> form returns an {@link Iterator}
 * of responses, like dubbo-python's generator with {@code yield}: each response is sent as soon as
 * the iterator produces it. The <em>writer</em> form receives a {@link WriteStream} and writes the
 * responses itself. Requests of a client- or bidi-streaming method are read from a {@link
 * ReadStream}, as in dubbo-python's {@code for request in request_stream}.
 *
 * <h2>Threads and errors</h2>
 *
 * A handler runs on the server's executor (a virtual thread per call on JDK 21+), never on a
 * network thread. A blocking handler may block. An async handler ({@code unaryAsync} and the like)
 * should not: on JDK 17 async handlers share a pool of one thread per core (at least two), so for
 * async handlers that block, give the server an executor of your own ({@link
 * ServerOptions#withExecutor}). Returning ends the call with {@code OK}. Throwing a {@link
 * StatusException} ends it with that status and trailers; any other exception is logged on the
 * server at WARN and ends the call with {@code UNKNOWN}, whose description tells the client to look
 * in the server's log: exception messages and stack traces are not sent to clients. Either way the
 * server keeps serving.
 */
public final class RpcMethodHandler<Q, R> {

  /** A unary handler: one request, one response. */
  @FunctionalInterface
  public interface Unary<Q, R> {
    /** Answers {@code request}. */
    R handle(Q request) throws Exception;
  }

  /** A client-streaming handler: reads the requests, returns the one response. */
  @FunctionalInterface
  public interface ClientStreaming<Q, R> {
    /** Reads the requests and answers them. */
    R handle(ReadStream<Q> requests) throws Exception;
  }

  /** A server-streaming handler in iterator form: one request, the responses as an iterator. */
  @FunctionalInterface
  public interface ServerStreaming<Q, R> {
    /** The responses to {@code request}, each sent as the iterator yields it. */
    Iterator<R> handle(Q request) throws Exception;
  }

  /** A server-streaming handler in writer form: one request, responses written as they come. */
  @FunctionalInterface
  public interface ServerStreamingWriter<Q, R> {
    /** Writes the responses to {@code request}; the call ends when this returns. */
    void handle(Q request, WriteStream<R> responses) throws Exception;
  }

  /** A bidi-streaming handler in iterator form: reads the requests, returns the responses. */
  @FunctionalInterface
  public interface BidiStreaming<Q, R> {
    /** The responses, each sent as the iterator yields it. */
    Iterator<R> handle(ReadStream<Q> requests) throws Exception;
  }

  /** A bidi-streaming handler in writer form: reads requests and writes responses at will. */
  @FunctionalInterface
  public interface BidiStreamingWriter<Q, R> {
    /** Reads requests and writes responses; the call ends when this returns. */
    void handle(ReadStream<Q> requests, WriteStream<R> responses) throws Exception;
  }

  /**
   * An async handler of a unary or server-streaming method: the one request and an observer for the
   * responses. It returns at once; the call ends when the observer is completed or failed.
   */
  @FunctionalInterface
  public interface AsyncUnary<Q, R> {
    /** Starts answering {@code request}; returns at once. */
    void handle(Q request, ResponseObserver<R> responses) throws Exception;
  }

  /**
   * An async handler of a client- or bidi-streaming method: given the response observer, it returns
   * the observer that receives the requests.
   */
  @FunctionalInterface
  public interface AsyncStreaming<Q, R> {
    /** Starts the call; returns the observer of its requests. */
    StreamObserver<Q> handle(ResponseObserver<R> responses) throws Exception;
  }

  private final MethodType type;
  private final Deserializer<Q> requestDeserializer;
  private final Serializer<R> responseSerializer;
  private final StreamHandler<Q, R> handler;
  private final AsyncHandler<Q, R> asyncHandler;
  private final boolean noSideEffects;

  private RpcMethodHandler(
      MethodType type,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer,
      StreamHandler<Q, R> handler) {
    this(type, requestDeserializer, responseSerializer, handler, null);
  }

  private RpcMethodHandler(
      MethodType type,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer,
      StreamHandler<Q, R> handler,
      AsyncHandler<Q, R> asyncHandler) {
    this(type, requestDeserializer, responseSerializer, handler, asyncHandler, false);
  }

  private RpcMethodHandler(
      MethodType type,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer,
      StreamHandler<Q, R> handler,
      AsyncHandler<Q, R> asyncHandler,
      boolean noSideEffects) {
    this.type = type;
    this.requestDeserializer = Objects.requireNonNull(requestDeserializer, "requestDeserializer");
    this.responseSerializer = Objects.requireNonNull(responseSerializer, "responseSerializer");
    this.handler = handler;
    this.asyncHandler = asyncHandler;
    this.noSideEffects = noSideEffects;
  }

  /**
   * A copy marked as having no side effects (protobuf's {@code idempotency_level =
   * NO_SIDE_EFFECTS}): a unary method so marked may also be called with an HTTP GET, as the Connect
   * protocol allows, which browsers and proxies may cache. Leave it off for a method that changes
   * anything.
   */
  public RpcMethodHandler<Q, R> withNoSideEffects() {
    return new RpcMethodHandler<>(
        type, requestDeserializer, responseSerializer, handler, asyncHandler, true);
  }

  /** Whether the method is marked as having no side effects ({@link #withNoSideEffects()}). */
  public boolean hasNoSideEffects() {
    return noSideEffects;
  }

  /** A unary method with an async handler. */
  public static <Q, R> RpcMethodHandler<Q, R> unaryAsync(
      AsyncUnary<Q, R> handler,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer) {
    return singleRequestAsync(MethodType.UNARY, handler, requestDeserializer, responseSerializer);
  }

  /** A server-streaming method with an async handler. */
  public static <Q, R> RpcMethodHandler<Q, R> serverStreamAsync(
      AsyncUnary<Q, R> handler,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer) {
    return singleRequestAsync(
        MethodType.SERVER_STREAMING, handler, requestDeserializer, responseSerializer);
  }

  /** A client-streaming method with an async handler. */
  public static <Q, R> RpcMethodHandler<Q, R> clientStreamAsync(
      AsyncStreaming<Q, R> handler,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer) {
    return streamingAsync(
        MethodType.CLIENT_STREAMING, handler, requestDeserializer, responseSerializer);
  }

  /** A bidi-streaming method with an async handler. */
  public static <Q, R> RpcMethodHandler<Q, R> biStreamAsync(
      AsyncStreaming<Q, R> handler,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer) {
    return streamingAsync(
        MethodType.BIDI_STREAMING, handler, requestDeserializer, responseSerializer);
  }

  private static <Q, R> RpcMethodHandler<Q, R> singleRequestAsync(
      MethodType type,
      AsyncUnary<Q, R> handler,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer) {
    return new RpcMethodHandler<>(
        type,
        requestDeserializer,
        responseSerializer,
        null,
        new SingleRequestAsync<>(type, handler));
  }

  private static <Q, R> RpcMethodHandler<Q, R> streamingAsync(
      MethodType type,
      AsyncStreaming<Q, R> handler,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer) {
    Objects.requireNonNull(handler, "handler");
    AsyncHandler<Q, R> async =
        responses -> {
          StreamObserver<Q> requests = handler.handle(responses);
          if (requests == null) {
            throw Status.INTERNAL.withDescription("The handler returned no observer").asException();
          }
          return new AsyncHandler.RequestSink<Q>() {
            @Override
            public void onNext(Q request) {
              requests.onNext(request);
            }

            @Override
            public void onError(Throwable error) {
              requests.onError(error);
            }

            @Override
            public void onCompleted() {
              requests.onCompleted();
            }
          };
        };
    return new RpcMethodHandler<>(type, requestDeserializer, responseSerializer, null, async);
  }

  /** A unary method: one request, one response. */
  public static <Q, R> RpcMethodHandler<Q, R> unary(
      Unary<Q, R> handler, Deserializer<Q> requestDeserializer, Serializer<R> responseSerializer) {
    Objects.requireNonNull(handler, "handler");
    return new RpcMethodHandler<>(
        MethodType.UNARY,
        requestDeserializer,
        responseSerializer,
        (requests, responses) -> responses.write(handler.handle(requests.read())));
  }

  /** A client-streaming method: the handler reads the requests and returns the response. */
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

  /** A server-streaming method: the handler returns the responses as an iterator. */
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

  /** A server-streaming method: the handler writes the responses. */
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

  /** A bidi-streaming method: the handler reads the requests and returns the responses. */
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

  /** A bidi-streaming method: the handler reads requests and writes responses at will. */
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

  /** How many messages each side sends. */
  public MethodType type() {
    return type;
  }

  /** Reads requests. */
  public Deserializer<Q> requestDeserializer() {
    return requestDeserializer;
  }

  /** Writes responses. */
  public Serializer<R> responseSerializer() {
    return responseSerializer;
  }

  /** The blocking handler in its one internal shape, or null for an async handler. */
  StreamHandler<Q, R> streamHandler() {
    return handler;
  }

  /** The async handler in its one internal shape, or null for a blocking handler. */
  AsyncHandler<Q, R> asyncHandler() {
    return asyncHandler;
  }
}
