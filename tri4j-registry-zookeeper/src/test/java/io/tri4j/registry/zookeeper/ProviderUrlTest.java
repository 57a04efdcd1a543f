package io.tri4j.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.registry.Endpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderUrlTest {
  @Test
  void decode_aNodeAsDubbo336WritesIt() {
    String url =
        "tri://[::ffff:127.0.0.1]:34341/org.apache.dubbo.samples.proto.Greeter?application=app-vg"
            + "&deprecated=false&dubbo=2.0.2&dynamic=true&generic=false&group=g1"
            + "&interface=org.apache.dubbo.samples.proto.Greeter"
            + "&methods=biStream,clientStream,greet,greetAsync,serverStream&release=3.3.6"
            + "&side=provider&timeout=3000&timestamp=1795270544550&version=1.0.0&weight=50";
    Endpoint e = ProviderUrl.decode(URLEncoder.encode(url, StandardCharsets.UTF_8));
    assertThat(e.host()).isEqualTo("::ffff:127.0.0.1");
    assertThat(e.port()).isEqualTo(34341);
    assertThat(e.weight()).isEqualTo(50);
    assertThat(e.parameters())
        .containsEntry("version", "1.0.0")
        .containsEntry("group", "g1")
        .containsEntry("methods", "biStream,clientStream,greet,greetAsync,serverStream");
  }

  @Test
  void decode_otherProtocols_areSkipped() {
    assertThat(
            ProviderUrl.decode(
                URLEncoder.encode("dubbo://10.0.0.1:20880/a.B", StandardCharsets.UTF_8)))
        .isNull();
  }

  @Test
  void encodeThenDecode_roundTrips() {
    Endpoint endpoint =
        new Endpoint(
            "127.0.0.1", 50051, Map.of("side", "provider", "methods", "a,b", "weight", "7"));
    String node = ProviderUrl.encode("x.Y", endpoint);
    assertThat(node).doesNotContain("/").startsWith("tri%3A%2F%2F127.0.0.1%3A50051%2Fx.Y%3F");
    Endpoint back = ProviderUrl.decode(node);
    assertThat(back.sameAddress(endpoint)).isTrue();
    assertThat(back.parameters()).isEqualTo(endpoint.parameters());
  }
}
