package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryConfigTest {

  @Test
  void toString_hidesThePassword_toUrlKeepsIt() {
    String url = "zookeeper://127.0.0.1:2181?username=ops&password=s3cret&session=30000";
    RegistryConfig config = RegistryConfig.fromUrl(url);

    assertThat(config.toUrl()).isEqualTo(url);
    assertThat(config.parameter("password", null)).isEqualTo("s3cret");
    assertThat(config.toString())
        .isEqualTo("zookeeper://127.0.0.1:2181?username=ops&password=***&session=30000")
        .doesNotContain("s3cret");
    assertThat(ServerOptions.defaults().withRegistry(config).toString()).doesNotContain("s3cret");
  }

  @Test
  void toString_withoutPassword_isTheUrl() {
    String url = "zookeeper://a:2181,b:2181?application=app&passwords=x";
    assertThat(RegistryConfig.fromUrl(url).toString()).isEqualTo(url);
  }
}
