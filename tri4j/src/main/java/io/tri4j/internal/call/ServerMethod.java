package io.tri4j.internal.call;

import io.tri4j.Deserializer;
import io.tri4j.MethodType;
import io.tri4j.Serializer;

/** One method as the server runs it. */
public final class ServerMethod<Q, R> {
  final MethodType type;
  final Deserializer<Q> requestDeserializer;
  final Serializer<R> responseSerializer;
  final StreamHandler<Q, R> handler;

  public ServerMethod(
      MethodType type,
      Deserializer<Q> requestDeserializer,
      Serializer<R> responseSerializer,
      StreamHandler<Q, R> handler) {
    this.type = type;
    this.requestDeserializer = requestDeserializer;
    this.responseSerializer = responseSerializer;
    this.handler = handler;
  }
}
