package io.tri4j.internal.call;

import io.tri4j.Deserializer;
import io.tri4j.MethodType;
import io.tri4j.Serializer;
import io.tri4j.internal.codec.Compression;

/** One method as the server runs it. */
public final class ServerMethod<Q, R> {
  final MethodType type;
  final Deserializer<Q> requestDeserializer;
  final Serializer<R> responseSerializer;
  final StreamHandler<Q, R> handler;
  final Compression responseCompression;

  /**
   * @param responseCompression how to compress responses when the client accepts it, or null
   */
  public ServerMethod(
      MethodType type,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer,
      StreamHandler<Q, R> handler,
      Compression responseCompression) {
    this.type = type;
    this.requestDeserializer = requestDeserializer;
    this.responseSerializer = responseSerializer;
    this.handler = handler;
    this.responseCompression = responseCompression;
  }
}
