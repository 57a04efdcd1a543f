package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.registry.Endpoint;
import io.tri4j.registry.Registry;
import io.tri4j.registry.RegistryFactory;
import io.tri4j.testing.Closer;
import io.tri4j.testing.TestPki;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "TLS" in URLs: a provider with TLS registers {@code ssl-enabled=true}, as Apache Dubbo's does,
 * and consumers that find it so (or are told so by their own URL) connect with TLS.
 */
@Timeout(30)
class TlsRegistryTest {
  private static final AtomicInteger names = new AtomicInteger();
  private static final TestPki ca = TestPki.shared();
  private static final ClientTls TRUSTING_CA =
      ClientTls.defaults().withTrustedCertificates(ca.certificateFile());

  private final String registryUrl = "memory://tls-" + names.incrementAndGet();
  @RegisterExtension final Closer closer = new Closer();

  private Server provider(boolean tls) {
    TestPki.Issued cert = ca.issue("provider", "127.0.0.1");
    ServerOptions options =
        ServerOptions.defaults().withRegistry(RegistryConfig.fromUrl(registryUrl));
    if (tls) {
      options = options.withTls(ServerTls.fromPem(cert.certificateFile(), cert.keyFile()));
    }
    RpcServiceHandler who =
        new RpcServiceHandler(
            "tls.Who",
            Map.of(
                "who",
                RpcMethodHandler.unary((String r) -> "hello", EchoService.DES, EchoService.SER)));
    Server server =
        new Server(options, new ServiceConfig(who).withHost("127.0.0.1").withPort(0)).start();
    closer.add(server);
    return server;
  }

  private String who(ReferenceConfig reference) {
    Client client = new Client(reference, RegistryConfig.fromUrl(registryUrl));
    closer.add(client);
    return client.unary("who", EchoService.SER, EchoService.DES).call("?");
  }

  @Test
  void tlsProvider_registersSslEnabled_plaintextOneDoesNot() throws Exception {
    provider(true);
    provider(false);
    Registry registry = RegistryFactory.open(RegistryConfig.fromUrl(registryUrl));
    closer.add(registry);
    List<Endpoint> seen = new CopyOnWriteArrayList<>();
    closer.add(registry.subscribe("tls.Who", seen::addAll));

    assertThat(seen).hasSize(2);
    assertThat(seen)
        .extracting(e -> e.parameters().get("ssl-enabled"))
        .containsExactlyInAnyOrder("true", null);
  }

  @Test
  void consumerWithTlsSettings_reachesTlsProviderFoundInRegistry() {
    provider(true);

    assertThat(who(ReferenceConfig.forService("tls.Who").withTls(TRUSTING_CA))).isEqualTo("hello");
  }

  @Test
  void consumerWithoutTlsSettings_stillUsesTlsForAProviderRegisteredWithIt() {
    provider(true);

    // TLS with the JDK's roots, which do not include the test CA: refused, but over TLS.
    assertStatus(
        () -> who(ReferenceConfig.forService("tls.Who")),
        Status.Code.UNAVAILABLE,
        "not signed by a trusted authority");
  }

  @Test
  void directUrl_sslEnabled_connectsWithTls() {
    Server server = provider(true);
    String url = "tri://127.0.0.1:" + server.port() + "/tls.Who?ssl-enabled=true";
    Client defaults = new Client(ReferenceConfig.fromUrl(url));
    closer.add(defaults);
    Client trusting = new Client(ReferenceConfig.fromUrl(url).withTls(TRUSTING_CA));
    closer.add(trusting);

    assertStatus(
        () -> defaults.unary("who", EchoService.SER, EchoService.DES).call("?"),
        Status.Code.UNAVAILABLE,
        "not signed by a trusted authority");
    assertThat(trusting.unary("who", EchoService.SER, EchoService.DES).call("?"))
        .isEqualTo("hello");
    assertThat(ReferenceConfig.fromUrl(url).tlsEnabled()).isTrue();
    assertThat(ReferenceConfig.fromUrl(url.replace("true", "false")).tlsEnabled()).isFalse();
  }
}
