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
            utf8("{\"code\":\"not_found\",\"message\":\"no ü\",\"details\":[]}"), 404);
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
    Status status = ConnectWireError.fromBody(utf8("<html>Bad Gateway</html>"), 502);
    assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.description()).contains("502");
  }

  @Test
  void fromBody_jsonWithoutCode_fallsBackToTheHttpStatus() {
    Status status = ConnectWireError.fromBody(utf8("{\"message\":\"x\"}"), 401);
    assertThat(status.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }
}
