package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tri4j.internal.call.ServerFailures;
import io.tri4j.internal.codec.SizedSerializer;
import io.tri4j.testing.LogCapture;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Protobuf}'s serializer and deserializer: the same bytes as protobuf's own methods, written
 * straight into the transport's buffers (small messages in one, large ones in pooled chunks, and
 * through an array when compressed), and read without copying bytes fields.
 */
class ProtobufTest {
  private static final String SERVICE = "test.Bytes";
  private static Server server;
  private static Client client;

  @BeforeAll
  static void start() {
    Serializer<BytesValue> ser = Protobuf.serializer();
    Deserializer<BytesValue> des = Protobuf.deserializer(BytesValue.parser());
    server =
        new Server(
                ServerOptions.defaults().withMaxInboundMessageSize(16 * 1024 * 1024),
                new ServiceConfig(
                        new RpcServiceHandler(
                            SERVICE,
                            Map.of(
                                "echo",
                                RpcMethodHandler.unary((BytesValue b) -> b, des, ser),
                                "bidi",
                                RpcMethodHandler.<BytesValue, BytesValue>biStream(
                                    (requests, responses) -> {
                                      for (BytesValue b : requests) {
                                        responses.write(b);
                                      }
                                    },
                                    des,
                                    ser),
                                "lying",
                                RpcMethodHandler.unary(
                                    (BytesValue b) -> b, des, new LyingSerializer()))))
                    .withHost("127.0.0.1")
                    .withPort(0))
            .start();
    client =
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + SERVICE)
                .withMaxInboundMessageSize(16 * 1024 * 1024));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    client.close();
    server.shutdownNow();
    assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  private static BytesValue value(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return BytesValue.of(ByteString.copyFrom(bytes));
  }

  @Test
  @SuppressWarnings("unchecked")
  void serializer_writesIntoBuffersAndStreams_theBytesOfToByteArray() throws Exception {
    SizedSerializer<BytesValue> direct = (SizedSerializer<BytesValue>) Protobuf.serializer();
    for (int size : List.of(0, 1000, 300_000)) {
      BytesValue message = value(size);
      byte[] expected = message.toByteArray();
      assertThat(direct.serializedSize(message)).isEqualTo(expected.length);

      ByteBuffer buffer = ByteBuffer.allocateDirect(expected.length + 3);
      buffer.position(3); // written at the position, not at 0
      direct.writeTo(message, buffer);
      assertThat(buffer.position()).isEqualTo(expected.length + 3);
      byte[] written = new byte[expected.length];
      buffer.position(3);
      buffer.get(written);
      assertThat(written).isEqualTo(expected);

      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      direct.writeTo(message, out);
      assertThat(out.toByteArray()).isEqualTo(expected);

      byte[] array = new byte[expected.length + 5];
      direct.writeTo(message, array, 5, expected.length); // after the room for a prefix
      assertThat(Arrays.copyOfRange(array, 5, array.length)).isEqualTo(expected);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void serializer_intoAnArrayWithRoomToSpare_fails() {
    SizedSerializer<BytesValue> direct = (SizedSerializer<BytesValue>) Protobuf.serializer();
    BytesValue message = value(10);
    int size = direct.serializedSize(message);

    assertThatThrownBy(() -> direct.writeTo(message, new byte[size + 1], 0, size + 1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void deserializer_sharesTheReceivedArrayForBytesFields() throws Exception {
    byte[] wire = value(100).toByteArray();
    BytesValue parsed = Protobuf.deserializer(BytesValue.parser()).deserialize(wire);
    assertThat(parsed).isEqualTo(value(100));
    wire[wire.length - 1] ^= 0x55; // the last payload byte: seen through the parsed message
    assertThat(parsed.getValue().byteAt(99)).isEqualTo(wire[wire.length - 1]);
  }

  @Test
  void deserializer_rejectsTruncatedInput() {
    byte[] wire = value(100).toByteArray();
    assertThatThrownBy(
            () ->
                Protobuf.deserializer(BytesValue.parser())
                    .deserialize(Arrays.copyOf(wire, wire.length - 1)))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void roundTrip_smallAndLargeMessages_plainAndCompressed() {
    UnaryCallable<BytesValue, BytesValue> echo =
        client.unary("echo", Protobuf.serializer(), Protobuf.deserializer(BytesValue.parser()));
    // Sizes around the chunk size of large messages (256 KiB with the 5-byte prefix).
    for (int size : List.of(0, 1, 1000, 256 * 1024 - 8, 256 * 1024, 3 * 1024 * 1024 + 17)) {
      BytesValue message = value(size);
      assertThat(echo.call(message)).as("size %d", size).isEqualTo(message);
      assertThat(echo.call(message, CallOptions.DEFAULT.withCompression("gzip")))
          .as("gzip, size %d", size)
          .isEqualTo(message);
    }
  }

  @Test
  void bidiStream_largeMessagesBothWays() {
    StreamingCall<BytesValue, BytesValue> call =
        client
            .<BytesValue, BytesValue>bidiStream(
                "bidi", Protobuf.serializer(), Protobuf.deserializer(BytesValue.parser()))
            .call();
    for (int i = 0; i < 4; i++) {
      BytesValue message = value(600_000 + i);
      call.write(message);
      assertThat(call.read(Duration.ofSeconds(10)).message()).isEqualTo(message);
    }
    call.doneWriting();
    assertThat(call.read(Duration.ofSeconds(10)).isEndOfStream()).isTrue();
  }

  @Test
  void serializerThatWritesFewerBytesThanItDeclared_failsTheCallWithInternal() {
    UnaryCallable<BytesValue, BytesValue> lying =
        client.unary("lying", Protobuf.serializer(), Protobuf.deserializer(BytesValue.parser()));
    try (LogCapture log = LogCapture.open()) {
      for (int size : List.of(10, 40_000, 1024 * 1024)) { // an array, one buffer, chunks
        StatusException e =
            catchThrowableOfType(StatusException.class, () -> lying.call(value(size)));
        assertThat(e.getStatus().code()).isEqualTo(Status.Code.INTERNAL);
        // What went wrong stays in the server's log; the client learns only that it did.
        assertThat(e.getStatus().description())
            .isEqualTo(ServerFailures.RESPONSE_NOT_SERIALIZED)
            .doesNotContain("fewer bytes");
        assertThat(lying.call(BytesValue.getDefaultInstance())).isNotNull(); // still serving
      }
      assertThat(log.events())
          .filteredOn(w -> w.logger().equals(ServerFailures.class.getName()))
          .hasSize(3)
          .allSatisfy(w -> assertThat(w.throwable()).hasMessageContaining("fewer bytes"));
    }
  }

  /** Declares one byte more than it writes (except for the empty message). */
  private static final class LyingSerializer
      implements Serializer<BytesValue>, SizedSerializer<BytesValue> {
    @Override
    public byte[] serialize(BytesValue message) {
      return message.toByteArray();
    }

    @Override
    public int serializedSize(BytesValue message) {
      int size = message.getSerializedSize();
      return size == 0 ? 0 : size + 1;
    }

    @Override
    public void writeTo(BytesValue message, ByteBuffer target) {
      target.put(message.toByteArray());
    }

    @Override
    public void writeTo(BytesValue message, OutputStream out) throws java.io.IOException {
      out.write(message.toByteArray());
    }
  }
}
