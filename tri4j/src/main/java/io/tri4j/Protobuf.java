package io.tri4j;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.tri4j.internal.codec.SizedSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

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

  /**
   * Writes any protobuf message. Unlike {@code GreeterRequest::toByteArray}, it lets tri4j write an
   * uncompressed message straight into the connection's buffer, with no intermediate array.
   */
  @SuppressWarnings("unchecked")
  public static <T extends MessageLite> Serializer<T> serializer() {
    return (Serializer<T>) DirectSerializer.INSTANCE;
  }

  /**
   * Reads messages with {@code parser}, such as {@code GreeterReply.parser()}. Unlike {@code
   * GreeterReply::parseFrom}, {@code bytes} fields share the received message's array (tri4j never
   * reuses it) instead of copying it.
   */
  public static <T> Deserializer<T> deserializer(Parser<? extends T> parser) {
    return bytes -> {
      // Read as an immutable buffer, so aliasing applies to bytes fields too.
      CodedInputStream input = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
      input.enableAliasing(true);
      T message = parser.parseFrom(input);
      input.checkLastTagWas(0);
      return message;
    };
  }

  /** {@link MessageLite#toByteArray()}, and writing into the transport's buffer. */
  private static final class DirectSerializer
      implements Serializer<MessageLite>, SizedSerializer<MessageLite> {
    static final DirectSerializer INSTANCE = new DirectSerializer();

    @Override
    public byte[] serialize(MessageLite message) {
      return message.toByteArray();
    }

    @Override
    public int serializedSize(MessageLite message) {
      return message.getSerializedSize();
    }

    @Override
    public void writeTo(MessageLite message, ByteBuffer target) throws IOException {
      CodedOutputStream output = CodedOutputStream.newInstance(target);
      message.writeTo(output);
      output.flush();
    }

    @Override
    public void writeTo(MessageLite message, byte[] array, int offset, int size)
        throws IOException {
      // Straight into the array: no ByteBuffer around it, for protobuf to unwrap again.
      CodedOutputStream output = CodedOutputStream.newInstance(array, offset, size);
      message.writeTo(output);
      output.checkNoSpaceLeft();
    }

    @Override
    public void writeTo(MessageLite message, OutputStream out) throws IOException {
      // Large bytes fields go straight to out; the rest through a small buffer.
      CodedOutputStream output = CodedOutputStream.newInstance(out, 8192);
      message.writeTo(output);
      output.flush();
    }
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
