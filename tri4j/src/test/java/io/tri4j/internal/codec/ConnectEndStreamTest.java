package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.Metadata;
import io.tri4j.Status;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading (client) and writing (server) Connect's end-of-stream message. */
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

  private static String json(Status status, Metadata trailers) {
    return new String(ConnectEndStream.json(status, trailers), StandardCharsets.UTF_8);
  }

  @Test
  void json_okWithoutTrailers_isEmptyObject() {
    assertThat(json(Status.OK, new Metadata())).isEqualTo("{}");
  }

  @Test
  void json_trailersAreMetadataOfArrays_binaryInBase64() {
    Metadata trailers = new Metadata().put("x-a", "1").put("x-a", "2");
    trailers.putBinary("x-b-bin", new byte[] {1, 2, 3});
    assertThat(json(Status.OK, trailers))
        .isEqualTo("{\"metadata\":{\"x-a\":[\"1\",\"2\"],\"x-b-bin\":[\"AQID\"]}}");
  }

  @Test
  void json_failure_hasErrorThenMetadata() {
    assertThat(json(Status.UNAVAILABLE.withDescription("down"), new Metadata().put("x-a", "1")))
        .isEqualTo(
            "{\"error\":{\"code\":\"unavailable\",\"message\":\"down\"},"
                + "\"metadata\":{\"x-a\":[\"1\"]}}");
  }

  @Test
  void frame_isFlaggedEndOfStream_withTheJsonLength() {
    byte[] frame = ConnectEndStream.frame(Status.OK, new Metadata());
    assertThat(frame).startsWith(2, 0, 0, 0, 2);
    assertThat(Arrays.copyOfRange(frame, 5, frame.length)).isEqualTo("{}".getBytes());
  }
}
