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
}
