package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Metadata;
import io.tri4j.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GrpcWebTrailersTest {

  private static String body(byte[] frame) {
    return new String(
        Arrays.copyOfRange(frame, MessageFramer.HEADER_LENGTH, frame.length),
        StandardCharsets.US_ASCII);
  }

  @Test
  void frame_ok_isFlaggedAndLengthPrefixed() {
    byte[] frame = GrpcWebTrailers.frame(Status.OK, new Metadata());
    assertThat(frame[0] & 0xff).isEqualTo(0x80);
    assertThat(ByteBuffer.wrap(frame, 1, 4).getInt())
        .isEqualTo(frame.length - MessageFramer.HEADER_LENGTH);
    assertThat(body(frame)).isEqualTo("grpc-status: 0\r\n");
  }

  @Test
  void frame_errorWithMetadata_hasEncodedMessageAndLowerCaseLines() {
    Metadata trailers =
        new Metadata().put("x-reason", "quota").putBinary("x-raw-bin", new byte[] {1});
    byte[] frame = GrpcWebTrailers.frame(Status.NOT_FOUND.withDescription("no ü here"), trailers);
    assertThat(body(frame))
        .isEqualTo(
            "grpc-status: 5\r\ngrpc-message: no %C3%BC here\r\nx-reason: quota\r\nx-raw-bin: AQ\r\n");
  }

  @Test
  void read_linesOfAFrameWeWrote_giveLowerCaseNamesAndTrimmedValues() {
    byte[] frame =
        GrpcWebTrailers.frame(
            Status.NOT_FOUND.withDescription("gone"), new Metadata().put("x-reason", "quota"));
    java.util.List<String> entries = new java.util.ArrayList<>();
    GrpcWebTrailers.read(
        Arrays.copyOfRange(frame, MessageFramer.HEADER_LENGTH, frame.length),
        (name, value) -> entries.add(name + "=" + value));
    assertThat(entries).containsExactly("grpc-status=5", "grpc-message=gone", "x-reason=quota");
  }

  @Test
  void read_otherServersLines_mixedCaseBlanksAndNoColon_areReadOrSkipped() {
    java.util.List<String> entries = new java.util.ArrayList<>();
    GrpcWebTrailers.read(
        "Grpc-Status:  0 \r\nno colon here\r\nX-A: b\n".getBytes(StandardCharsets.US_ASCII),
        (name, value) -> entries.add(name + "=" + value));
    assertThat(entries).containsExactly("grpc-status=0", "x-a=b");
  }
}
