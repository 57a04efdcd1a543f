package io.tri4j;

/**
 * Turns the bytes of one gRPC message into a message. For protobuf, {@code GreeterReply::parseFrom}
 * or {@link Protobuf#deserializer(com.google.protobuf.Parser)}.
 *
 * <p>Runs on the thread that reads the message. An exception it throws fails the call with {@code
 * INTERNAL}; on the client the call is also cancelled.
 */
@FunctionalInterface
public interface Deserializer<T> {
  /** Reads one message from its bytes; an exception fails the call. */
  T deserialize(byte[] bytes) throws Exception;
}
