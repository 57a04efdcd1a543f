package io.tri4j.internal.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.tri4j.Deserializer;
import io.tri4j.Serializer;
import io.tri4j.Status;
import java.nio.charset.StandardCharsets;

/**
 * JSON for protobuf messages (the proto3 JSON mapping), used for {@code application/grpc+json} and
 * for HTTP/1.1 + JSON calls. Needs protobuf-java and protobuf-java-util on the class path; {@link
 * #available()} tells, and nothing here is loaded unless it is true.
 */
public final class JsonCodec {
  private static final boolean AVAILABLE = probe();

  private JsonCodec() {}

  private static boolean probe() {
    try {
      Class.forName("com.google.protobuf.util.JsonFormat", false, JsonCodec.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Whether JSON support is on the class path. */
  public static boolean available() {
    return AVAILABLE;
  }

  /**
   * A deserializer of JSON into the message type that {@code protobuf} produces, or null if that is
   * not a protobuf message (found by parsing zero bytes: a protobuf parser returns the type's
   * default instance) or JSON support is missing.
   */
  public static <Q> Deserializer<Q> deserializerFor(Deserializer<Q> protobuf) {
    if (!AVAILABLE) {
      return null;
    }
    Object prototype;
    try {
      prototype = protobuf.deserialize(new byte[0]);
    } catch (Exception | LinkageError e) {
      return null;
    }
    return Protos.deserializer(prototype);
  }

  /** A serializer of protobuf messages as compact JSON; null if JSON support is missing. */
  public static <R> Serializer<R> serializer() {
    return AVAILABLE ? Protos.serializer() : null;
  }

  /** The code that links to protobuf, loaded only when it is present. */
  private static final class Protos {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER =
        JsonFormat.printer().omittingInsignificantWhitespace();

    static <Q> Deserializer<Q> deserializer(Object prototype) {
      if (!(prototype instanceof Message)) {
        return null;
      }
      Message type = (Message) prototype;
      String name = type.getDescriptorForType().getFullName();
      return bytes -> {
        Message.Builder builder = type.newBuilderForType();
        try {
          PARSER.merge(new String(bytes, StandardCharsets.UTF_8), builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
          throw Status.INVALID_ARGUMENT
              .withDescription("Invalid JSON for " + name + ": " + e.getMessage())
              .withCause(e)
              .asException();
        }
        @SuppressWarnings("unchecked")
        Q message = (Q) builder.build();
        return message;
      };
    }

    static <R> Serializer<R> serializer() {
      return message -> {
        if (!(message instanceof MessageOrBuilder)) {
          throw Status.INTERNAL
              .withDescription(
                  "JSON needs protobuf messages, but the response is a "
                      + message.getClass().getName())
              .asException();
        }
        return PRINTER.print((MessageOrBuilder) message).getBytes(StandardCharsets.UTF_8);
      };
    }
  }
}
