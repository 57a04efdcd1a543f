package io.tri4j.internal.call;

import io.tri4j.Deserializer;
import io.tri4j.MethodType;
import io.tri4j.Serializer;
import io.tri4j.ServerInterceptor;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.JsonCodec;
import java.util.List;

/** One method as the server runs it. */
public final class ServerMethod<Q, R> {
  final MethodType type;
  final Deserializer<Q> requestDeserializer;
  final Serializer<R> responseSerializer;
  final StreamHandler<Q, R> handler;
  final AsyncHandler<Q, R> asyncHandler;
  final Compression responseCompression;
  final List<ServerInterceptor> interceptors;
  final boolean noSideEffects;
  private volatile JsonCodecs<Q, R> json;

  /**
   * @param handler the blocking handler, or null for an async one
   * @param asyncHandler the async handler, or null for a blocking one
   * @param responseCompression how to compress responses when the client accepts it, or null
   * @param interceptors the interceptors of the method's service, outermost first
   * @param noSideEffects whether a Connect GET may call the method
   */
  public ServerMethod(
      MethodType type,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer,
      StreamHandler<Q, R> handler,
      AsyncHandler<Q, R> asyncHandler,
      Compression responseCompression,
      List<ServerInterceptor> interceptors,
      boolean noSideEffects) {
    if ((handler == null) == (asyncHandler == null)) {
      throw new IllegalArgumentException("exactly one of handler and asyncHandler");
    }
    this.type = type;
    this.requestDeserializer = requestDeserializer;
    this.responseSerializer = responseSerializer;
    this.handler = handler;
    this.asyncHandler = asyncHandler;
    this.responseCompression = responseCompression;
    this.interceptors = List.copyOf(interceptors);
    this.noSideEffects = noSideEffects;
  }

  /** The method's type: how many messages each side sends. */
  public MethodType type() {
    return type;
  }

  /** The JSON codecs of this method, or null if its messages are not protobuf messages. */
  JsonCodecs<Q, R> json() {
    JsonCodecs<Q, R> codecs = json;
    if (codecs == null) {
      Deserializer<Q> in = JsonCodec.deserializerFor(requestDeserializer);
      codecs = in == null ? JsonCodecs.none() : new JsonCodecs<>(in, JsonCodec.serializer());
      json = codecs;
    }
    return codecs.requests() == null ? null : codecs;
  }

  /** How a call's requests are read: as JSON, or with the method's own deserializer. */
  Deserializer<Q> requestDeserializer(boolean json) {
    JsonCodecs<Q, R> codecs = json ? json() : null;
    return codecs != null ? codecs.requests() : requestDeserializer;
  }

  /** How a call's responses are written: as JSON, or with the method's own serializer. */
  Serializer<R> responseSerializer(boolean json) {
    JsonCodecs<Q, R> codecs = json ? json() : null;
    return codecs != null ? codecs.responses() : responseSerializer;
  }

  /** Whether calls may use JSON instead of protobuf bytes. */
  public boolean acceptsJson() {
    return json() != null;
  }

  record JsonCodecs<Q, R>(Deserializer<Q> requests, Serializer<R> responses) {
    static <Q, R> JsonCodecs<Q, R> none() {
      return new JsonCodecs<>(null, null);
    }
  }
}
