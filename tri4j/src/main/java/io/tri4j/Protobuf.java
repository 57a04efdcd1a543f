package io.tri4j;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

/**
 * Serializer and deserializer functions for protobuf messages, the usual payload of Triple. Needs
 * {@code com.google.protobuf:protobuf-java} on the class path; the rest of tri4j does not.
 *
 * <pre>{@code
 * client.unary("greet", Protobuf.serializer(), Protobuf.deserializer(GreeterReply.parser()));
 * }</pre>
 *
 * The method references {@code GreeterRequest::toByteArray} and {@code GreeterReply::parseFrom} do
 * the same.
 */
public final class Protobuf {
  private Protobuf() {}

  /** Writes any protobuf message. */
  public static <T extends MessageLite> Serializer<T> serializer() {
    return MessageLite::toByteArray;
  }

  /** Reads messages with {@code parser}, such as {@code GreeterReply.parser()}. */
  public static <T> Deserializer<T> deserializer(Parser<T> parser) {
    return parser::parseFrom;
  }

  /**
   * Writes any protobuf message as JSON (the proto3 JSON mapping), for calls made with the URL
   * parameter {@code serialization=json}. Needs {@code com.google.protobuf:protobuf-java-util}.
   */
  public static <T extends com.google.protobuf.MessageOrBuilder> Serializer<T> jsonSerializer() {
    Serializer<T> serializer = io.tri4j.internal.codec.JsonCodec.serializer();
    if (serializer == null) {
      throw new IllegalStateException("JSON needs com.google.protobuf:protobuf-java-util");
    }
    return serializer;
  }

  /**
   * Reads JSON into messages of {@code type}'s type, such as {@code
   * GreeterReply.getDefaultInstance()}. Needs {@code com.google.protobuf:protobuf-java-util}.
   */
  @SuppressWarnings("unchecked")
  public static <T extends com.google.protobuf.Message> Deserializer<T> jsonDeserializer(T type) {
    Deserializer<T> deserializer =
        io.tri4j.internal.codec.JsonCodec.deserializerFor(
            bytes -> (T) type.getDefaultInstanceForType());
    if (deserializer == null) {
      throw new IllegalStateException("JSON needs com.google.protobuf:protobuf-java-util");
    }
    return deserializer;
  }
}
