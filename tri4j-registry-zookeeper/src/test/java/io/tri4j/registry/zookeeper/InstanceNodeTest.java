package io.tri4j.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceNodeTest {
  /** What a Dubbo 3.3.6 provider wrote at /services/dump-app/[::ffff:127.0.0.1]:38225. */
  private static byte[] dubboInstance() throws IOException {
    try (InputStream in =
        InstanceNodeTest.class.getResourceAsStream("/dubbo-3.3.6/instance.json")) {
      return in.readAllBytes();
    }
  }

  @Test
  void parse_anInstanceAsDubbo336WritesIt() throws IOException {
    InstanceNode node = InstanceNode.parse(dubboInstance());

    assertThat(node.app()).isEqualTo("dump-app");
    assertThat(node.host()).isEqualTo("::ffff:127.0.0.1");
    assertThat(node.port()).isEqualTo(38225);
    assertThat(node.id()).isEqualTo("[::ffff:127.0.0.1]:38225");
    assertThat(node.port("tri")).isEqualTo(38225);
    assertThat(node.metadata())
        .containsEntry(InstanceNode.REVISION, "2159a8275997cbadd7aa7aa1845dab0c")
        .containsEntry(InstanceNode.STORAGE_TYPE, "local")
        .containsEntry(InstanceNode.TIMESTAMP, "1796176911516");
  }

  @Test
  void toJson_hasTheShapeDubboWrites() throws IOException {
    InstanceNode dubbo = InstanceNode.parse(dubboInstance());

    String json = new String(dubbo.toJson(1796176911577L), StandardCharsets.UTF_8);

    assertThat(json)
        .startsWith(
            "{\"name\":\"dump-app\",\"id\":\"[::ffff:127.0.0.1]:38225\","
                + "\"address\":\"[::ffff:127.0.0.1]\",\"port\":38225,\"sslPort\":null,"
                + "\"payload\":{\"@class\":\"org.apache.dubbo.registry.zookeeper.ZookeeperInstance\","
                + "\"id\":\"[::ffff:127.0.0.1]:38225\",\"name\":\"dump-app\",\"metadata\":{")
        .endsWith(
            "},\"registrationTimeUTC\":1796176911577,\"serviceType\":\"DYNAMIC\",\"uriSpec\":null}");
    assertThat(InstanceNode.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(dubbo);
  }

  @Test
  void port_ofTheProtocolInTheEndpoints() {
    InstanceNode node =
        new InstanceNode(
            "app",
            "10.0.0.1",
            20880,
            Map.of(InstanceNode.ENDPOINTS, InstanceNode.endpoints(50051)));

    assertThat(node.port("tri")).isEqualTo(50051);
    assertThat(node.port("dubbo")).isEqualTo(20880);
  }

  @Test
  void parse_malformed_isAnError() {
    assertThatThrownBy(() -> InstanceNode.parse("{\"name\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not JSON");
    assertThatThrownBy(() -> InstanceNode.parse("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a JSON object");
    assertThatThrownBy(
            () -> InstanceNode.parse("{\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no name, address or port");
    assertThatThrownBy(() -> InstanceNode.parse(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty node");
  }
}
