package io.tri4j.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationMetadataTest {
  /**
   * What a Dubbo 3.3.6 provider stored at
   * /dubbo/metadata/dump-app/42a1938b7bdd5a7b01be18553a27f7d5.
   */
  static String dubboMetadata() throws IOException {
    try (InputStream in =
        ApplicationMetadataTest.class.getResourceAsStream("/dubbo-3.3.6/metadata.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  @Test
  void revision_isTheOneDubbo336ComputedForTheSameServices() throws IOException {
    ApplicationMetadata metadata = ApplicationMetadata.fromJson(dubboMetadata());

    assertThat(metadata.app()).isEqualTo("dump-app");
    assertThat(metadata.services()).hasSize(2);
    assertThat(metadata.revision()).isEqualTo("42a1938b7bdd5a7b01be18553a27f7d5");
  }

  @Test
  void toJson_readsBackToTheSameServicesAndRevision() throws IOException {
    ApplicationMetadata dubbo = ApplicationMetadata.fromJson(dubboMetadata());

    ApplicationMetadata again = ApplicationMetadata.fromJson(dubbo.toJson());

    assertThat(again.services()).containsExactlyInAnyOrderElementsOf(dubbo.services());
    assertThat(again.revision()).isEqualTo("42a1938b7bdd5a7b01be18553a27f7d5");
    assertThat(dubbo.toJson()).contains("\"revision\":\"42a1938b7bdd5a7b01be18553a27f7d5\"");
  }

  @Test
  void toJson_keysServicesAsDubboDoes() {
    ServiceInfo plain = new ServiceInfo("a.B", null, null, "tri", 50051, "a.B", Map.of("x", "="));
    ServiceInfo versioned = new ServiceInfo("a.B", "g", "1.0", "tri", 50051, "a.B", Map.of());

    String json = new ApplicationMetadata("app", List.of(plain, versioned)).toJson();

    assertThat(json)
        .contains("\"g/a.B:1.0:tri\":{\"group\":\"g\",\"name\":\"a.B\"")
        .contains("\"a.B:tri\":{\"name\":\"a.B\",\"params\":{\"x\":\"=\"}");
  }

  @Test
  void revision_ofNoServices_isDubbosEmptyRevision() {
    assertThat(new ApplicationMetadata("app", List.of()).revision()).isEqualTo("0");
  }

  @Test
  void fromJson_notMetadata_isAnErrorSayingSo() {
    assertThatThrownBy(() -> ApplicationMetadata.fromJson("[1,2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not Dubbo application metadata");
  }
}
