package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReferenceConfigTest {
  @Test
  void fromUrl_seedExample_readsHostPortAndService() {
    ReferenceConfig config =
        ReferenceConfig.fromUrl("tri://127.0.0.1:50051/org.apache.dubbo.samples.proto.Greeter");
    assertThat(config.protocol()).isEqualTo("tri");
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(50051);
    assertThat(config.service()).isEqualTo("org.apache.dubbo.samples.proto.Greeter");
    assertThat(config.parameters()).isEmpty();
  }

  @Test
  void fromUrl_queryParameters_areKeptDecodedAndInOrder() {
    ReferenceConfig config =
        ReferenceConfig.fromUrl(
            "tri://example.test:7000/a.B?timeout=3000&compression=gzip&version=1.0.0&group=x%20y&flag");
    assertThat(config.parameters())
        .containsExactly(
            java.util.Map.entry("timeout", "3000"),
            java.util.Map.entry("compression", "gzip"),
            java.util.Map.entry("version", "1.0.0"),
            java.util.Map.entry("group", "x y"),
            java.util.Map.entry("flag", ""));
    assertThat(config.parameter("timeout")).isEqualTo("3000");
    assertThat(config.parameter("missing")).isNull();
  }

  @Test
  void fromUrl_noPort_defaultsTo50051() {
    assertThat(ReferenceConfig.fromUrl("tri://localhost/a.B").port()).isEqualTo(50051);
  }

  @Test
  void fromUrl_ipv6Host_isUnbracketed_andToUrlRoundTrips() {
    ReferenceConfig config = ReferenceConfig.fromUrl("tri://[::1]:9000/a.B?k=v");
    assertThat(config.host()).isEqualTo("::1");
    assertThat(config.toUrl()).isEqualTo("tri://[::1]:9000/a.B?k=v");
  }

  @Test
  void fromUrl_badInput_isIllegalArgumentWithReason() {
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("http://h:1/a.B"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tri://");
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://h:1/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No service");
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://:50051/a.B"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No host");
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://h:1/a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Malformed");
  }

  @Test
  void forService_hasNoHost_forARegistry_andADirectClientRefusesIt() {
    ReferenceConfig config = ReferenceConfig.forService("a.B");
    assertThat(config.host()).isNull();
    assertThat(config.service()).isEqualTo("a.B");
    assertThat(ReferenceConfig.fromUrl("tri:///a.B?version=1").parameter("version")).isEqualTo("1");
    assertThatThrownBy(() -> new Client(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RegistryConfig");
  }

  @Test
  void withParameter_returnsCopy() {
    ReferenceConfig base = ReferenceConfig.fromUrl("tri://h:1/a.B");
    ReferenceConfig changed = base.withParameter("timeout", "10");
    assertThat(base.parameters()).isEmpty();
    assertThat(changed.parameter("timeout")).isEqualTo("10");
  }
}
