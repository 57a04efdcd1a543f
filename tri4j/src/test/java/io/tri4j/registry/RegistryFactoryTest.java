package io.tri4j.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.RegistryConfig;
import org.junit.jupiter.api.Test;

class RegistryFactoryTest {

  @Test
  void aMisspelledParameterIsAnErrorNamingTheLikelyOne() {
    RegistryConfig config = RegistryConfig.fromUrl("memory://factory-test?loadbalanse=roundrobin");

    assertThatThrownBy(() -> RegistryFactory.open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown parameter 'loadbalanse' in registry URL 'memory://factory-test'; did you mean"
                + " 'loadbalance'? Known parameters: application, cluster, loadbalance, retries,"
                + " weight.");
  }

  @Test
  void theParametersForClientsAndServersAreTakenByAnyRegistry() throws Exception {
    RegistryConfig config =
        RegistryConfig.fromUrl(
            "memory://factory-test-2?application=shop&weight=50&cluster=failover"
                + "&loadbalance=random&retries=1");

    try (Registry registry = RegistryFactory.open(config)) {
      assertThat(registry).isInstanceOf(InMemoryRegistry.class);
    }
  }

  @Test
  void anUnknownSchemeNamesItself() {
    assertThatThrownBy(() -> RegistryFactory.open(RegistryConfig.fromUrl("nacos://127.0.0.1:8848")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No registry for 'nacos://' on the class path");
  }
}
