package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.StringValue;
import io.tri4j.Metadata;
import io.tri4j.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConnectErrorTest {

  /** A serialized google.rpc.Status with {@code details}. */
  static byte[] rpcStatus(int code, String message, Any... details) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeInt32(1, code);
    out.writeString(2, message);
    for (Any detail : details) {
      out.writeMessage(3, detail);
    }
    out.flush();
    return bytes.toByteArray();
  }

  private static String json(Status status, Metadata trailers) {
    return new String(ConnectError.json(status, trailers), StandardCharsets.UTF_8);
  }

  @Test
  void codeName_isLowerCaseWithConnectsSpellingOfCanceled() {
    assertThat(ConnectError.codeName(Status.Code.CANCELLED)).isEqualTo("canceled");
    assertThat(ConnectError.codeName(Status.Code.INVALID_ARGUMENT)).isEqualTo("invalid_argument");
    assertThat(ConnectError.codeName(Status.Code.DEADLINE_EXCEEDED)).isEqualTo("deadline_exceeded");
  }

  @Test
  void httpStatus_followsConnectsTable() {
    assertThat(ConnectError.httpStatus(Status.Code.CANCELLED)).isEqualTo(499);
    assertThat(ConnectError.httpStatus(Status.Code.FAILED_PRECONDITION)).isEqualTo(400);
    assertThat(ConnectError.httpStatus(Status.Code.ABORTED)).isEqualTo(409);
    assertThat(ConnectError.httpStatus(Status.Code.UNIMPLEMENTED)).isEqualTo(501);
    assertThat(ConnectError.httpStatus(Status.Code.DATA_LOSS)).isEqualTo(500);
    assertThat(ConnectError.httpStatus(Status.Code.UNAUTHENTICATED)).isEqualTo(401);
  }

  @Test
  void json_withoutDescription_hasOnlyTheCode() {
    assertThat(json(Status.INTERNAL, new Metadata())).isEqualTo("{\"code\":\"internal\"}");
  }

  @Test
  void json_escapesTheMessage() {
    assertThat(json(Status.NOT_FOUND.withDescription("no \"x\"\n"), new Metadata()))
        .isEqualTo("{\"code\":\"not_found\",\"message\":\"no \\\"x\\\"\\n\"}");
  }

  @Test
  void json_detailsComeFromTheStatusDetailsTrailer() throws Exception {
    Any detail = Any.pack(StringValue.of("why"));
    Metadata trailers = new Metadata();
    trailers.putBinary(
        Metadata.STATUS_DETAILS_KEY, rpcStatus(9, "ignored", detail, Any.pack(StringValue.of(""))));
    String value =
        Base64.getEncoder().withoutPadding().encodeToString(detail.getValue().toByteArray());
    assertThat(json(Status.FAILED_PRECONDITION.withDescription("no"), trailers))
        .isEqualTo(
            "{\"code\":\"failed_precondition\",\"message\":\"no\",\"details\":["
                + "{\"type\":\"google.protobuf.StringValue\",\"value\":\""
                + value
                + "\"},{\"type\":\"google.protobuf.StringValue\",\"value\":\"\"}]}");
  }

  @Test
  void json_malformedDetails_areLeftOut() {
    Metadata trailers = new Metadata();
    trailers.putBinary(Metadata.STATUS_DETAILS_KEY, new byte[] {0x1a, 0x7f, 0x01});
    assertThat(json(Status.ABORTED, trailers)).isEqualTo("{\"code\":\"aborted\"}");
  }
}
