package io.tri4j.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataProtoTest {
  @Test
  void decodeRequest_readsTheRevision() {
    // MetadataRequest{revision: "abc"} as protobuf writes it, with an unknown varint field 9.
    byte[] bytes = {0x0a, 3, 'a', 'b', 'c', 0x48, (byte) 0x96, 0x01};

    assertThat(MetadataProto.decodeRequest(bytes)).isEqualTo("abc");
    assertThat(MetadataProto.encodeRequest("abc")).isEqualTo(Arrays.copyOf(bytes, 5));
  }

  @Test
  void encodeInfo_thenDecode_keepsServicesAndRevision() {
    ApplicationMetadata metadata =
        new ApplicationMetadata(
            "app",
            List.of(
                new ServiceInfo("a.B", "g", "1.0", "tri", 50051, "a.B", Map.of("weight", "7")),
                new ServiceInfo("c.D", null, null, "tri", 50051, "c.D", Map.of())));

    ApplicationMetadata decoded = MetadataProto.decodeInfo(MetadataProto.encodeInfo(metadata));

    assertThat(decoded.app()).isEqualTo("app");
    assertThat(decoded.services()).containsExactlyInAnyOrderElementsOf(metadata.services());
    assertThat(decoded.revision()).isEqualTo(metadata.revision());
  }

  @Test
  void decode_truncated_isAnError() {
    assertThatThrownBy(() -> MetadataProto.decodeRequest(new byte[] {0x0a, 5, 'a'}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("truncated field");
    assertThatThrownBy(() -> MetadataProto.decodeInfo(new byte[] {0x08, (byte) 0x80}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("truncated varint");
  }
}
