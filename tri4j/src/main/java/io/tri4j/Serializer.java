package io.tri4j;

/**
 * Turns a message into the bytes of one gRPC message. For protobuf, {@code
 * GreeterRequest::toByteArray} or {@link Protobuf#serializer()}.
 *
 * <p>Runs on the thread that writes the message. An exception it throws fails the call: on the
 * client the write throws it, on the server the call ends with {@code INTERNAL}.
 */
@FunctionalInterface
public interface Serializer<T> {
  /** The bytes of {@code message}; an exception fails the call. */
  byte[] serialize(T message) throws Exception;
}
