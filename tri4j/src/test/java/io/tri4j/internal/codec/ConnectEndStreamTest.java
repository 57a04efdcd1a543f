package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectEndStreamTest {
  private static ConnectEndStream read(String json) {
    return ConnectEndStream.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void read_emptyObject_isOkWithoutMetadata() {
    ConnectEndStream end = read("{}");
    assertThat(end.error().status().code()).isEqualTo(Status.Code.OK);
    assertThat(end.metadata()).isEmpty();
  }

  @Test
  void read_errorAndMetadata_areTheStatusAndTrailers() {
    ConnectEndStream end =
        read(
            "{\"error\":{\"code\":\"out_of_range\",\"message\":\"too far\"},"
                + "\"metadata\":{\"x-a\":[\"1\",\"2\"],\"x-b-bin\":[\"AQ\"]}}");
    assertThat(end.error().status().code()).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(end.error().status().description()).isEqualTo("too far");
    assertThat(end.metadata())
        .isEqualTo(Map.of("x-a", List.of("1", "2"), "x-b-bin", List.of("AQ")));
  }

  @Test
  void read_notAnObject_isAnError() {
    assertThatThrownBy(() -> read("[1]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> read("{\"error\":\"x\"}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
