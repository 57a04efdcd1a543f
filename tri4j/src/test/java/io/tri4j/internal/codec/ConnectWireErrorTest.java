package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Status;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectWireErrorTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void fromBody_connectError_isItsCodeAndMessage() {
    Status status =
        ConnectWireError.fromBody(
                utf8("{\"code\":\"not_found\",\"message\":\"no ü\",\"details\":[]}"), 404)
            .status();
    assertThat(status.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.description()).isEqualTo("no ü");
  }

  @ParameterizedTest
  @CsvSource({
    "canceled, CANCELLED",
    "invalid_argument, INVALID_ARGUMENT",
    "deadline_exceeded, DEADLINE_EXCEEDED",
    "unauthenticated, UNAUTHENTICATED",
    "data_loss, DATA_LOSS",
    "cancelled, UNKNOWN",
    "ok, UNKNOWN",
    "NOT_FOUND, UNKNOWN",
    "teapot, UNKNOWN"
  })
  void code_connectNames_mapToStatusCodes(String name, Status.Code code) {
    assertThat(ConnectWireError.code(name)).isEqualTo(code);
  }

  @Test
  void fromBody_notJson_fallsBackToTheHttpStatus() {
    Status status = ConnectWireError.fromBody(utf8("<html>Bad Gateway</html>"), 502).status();
    assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.description()).contains("502");
  }

  @Test
  void fromBody_jsonWithoutCode_fallsBackToTheHttpStatus() {
    Status status = ConnectWireError.fromBody(utf8("{\"message\":\"x\"}"), 401).status();
    assertThat(status.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void fromBody_details_becomeAGoogleRpcStatus() throws Exception {
    // A StringValue "hi" as Connect sends a detail: its type name and its bytes in base64.
    ConnectWireError error =
        ConnectWireError.fromBody(
            utf8(
                "{\"code\":\"not_found\",\"message\":\"gone\",\"details\":"
                    + "[{\"type\":\"google.protobuf.StringValue\",\"value\":\"CgJoaQ\"}]}"),
            404);
    // google.rpc.Status, read field by field: the core's tests have no generated class for it.
    com.google.protobuf.UnknownFieldSet details =
        com.google.protobuf.UnknownFieldSet.parseFrom(error.statusDetails());
    assertThat(details.getField(1).getVarintList()).containsExactly(5L);
    assertThat(details.getField(2).getLengthDelimitedList().get(0).toStringUtf8())
        .isEqualTo("gone");
    com.google.protobuf.Any any =
        com.google.protobuf.Any.parseFrom(details.getField(3).getLengthDelimitedList().get(0));
    assertThat(any.getTypeUrl()).isEqualTo("type.googleapis.com/google.protobuf.StringValue");
    assertThat(any.unpack(com.google.protobuf.StringValue.class).getValue()).isEqualTo("hi");
  }

  @Test
  void fromBody_noDetails_hasNone() {
    assertThat(ConnectWireError.fromBody(utf8("{\"code\":\"internal\"}"), 500).statusDetails())
        .isNull();
  }
}
