package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import io.tri4j.testing.Closer;
import io.tri4j.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS between tri4j's client and server: the JSON endpoint on the same port, key stores, the host
 * name check and its override, and connections that never mix TLS and plaintext.
 */
@Timeout(30)
class TlsTest {
  private static final TestPki ca = TestPki.shared();
  private static final ClientTls TRUSTING_CA =
      ClientTls.defaults().withTrustedCertificates(ca.certificateFile());

  @RegisterExtension final Closer closer = new Closer();

  private Server start(ServerOptions options) {
    return closer.add(
        new Server(
                options,
                new ServiceConfig(new EchoService().handler()).withHost("127.0.0.1").withPort(0))
            .start());
  }

  private Server startTls(ServerTls tls) {
    return start(ServerOptions.defaults().withTls(tls));
  }

  private static ServerTls serverTls(String... names) {
    TestPki.Issued cert = ca.issue("server", names);
    return ServerTls.fromPem(cert.certificateFile(), cert.keyFile());
  }

  private ReferenceConfig reference(Server server) {
    return ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + EchoService.NAME);
  }

  private String greet(ReferenceConfig reference) {
    Client client = closer.add(new Client(reference));
    return client.unary("unary", EchoService.SER, EchoService.DES).call("hi");
  }

  @Test
  void http1Json_sameTlsPort_answeredOverHttp11() throws Exception {
    RpcServiceHandler json =
        new RpcServiceHandler(
            "tls.Json",
            Map.of(
                "echo",
                RpcMethodHandler.unary(
                    (StringValue v) -> v,
                    Protobuf.deserializer(StringValue.parser()),
                    Protobuf.serializer())));
    Server server =
        closer.add(
            new Server(
                    ServerOptions.defaults().withTls(serverTls("127.0.0.1")),
                    new ServiceConfig(json).withHost("127.0.0.1").withPort(0))
                .start());
    SSLContext ssl = ca.trustingSslContext();
    HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();

    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/tls.Json/echo"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("\"json over tls\""))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("\"json over tls\"");
  }

  @Test
  void keyStores_serverKeyAndClientTrust_connect() throws Exception {
    TestPki.Issued cert = ca.issue("server", "127.0.0.1");
    char[] password = "secret".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "server",
        cert.keys().getPrivate(),
        password,
        new Certificate[] {cert.certificate(), ca.certificate()});
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    Server server = startTls(ServerTls.fromKeyStore(keys, password));

    assertThat(greet(reference(server).withTls(ClientTls.defaults().withTrustStore(trust))))
        .isEqualTo("hi");
  }

  @Test
  void hostname_certificateWithoutTheAddress_refusedUnlessOverridden() {
    Server server = startTls(serverTls("localhost"));

    assertStatus(
        () -> greet(reference(server).withTls(TRUSTING_CA)),
        Status.Code.UNAVAILABLE,
        "does not name the host");
    assertThat(greet(reference(server).withTls(TRUSTING_CA.withServerNameOverride("localhost"))))
        .isEqualTo("hi");
    assertThat(greet(reference(server).withTls(TRUSTING_CA.withoutHostnameVerification())))
        .isEqualTo("hi");
  }

  @Test
  void serverNameOverride_sentAsAuthority() {
    AtomicReference<String> authority = new AtomicReference<>();
    Server server =
        start(
            ServerOptions.defaults()
                .withTls(serverTls("api.test"))
                .withInterceptors(
                    new ServerInterceptor() {
                      @Override
                      public <Q, R> ServerCall.Listener<Q> interceptCall(
                          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                        authority.set(call.authority());
                        return next.startCall(call, headers);
                      }
                    }));

    assertThat(greet(reference(server).withTls(TRUSTING_CA.withServerNameOverride("api.test"))))
        .isEqualTo("hi");
    assertThat(authority.get()).isEqualTo("api.test:" + server.port());
  }

  @Test
  void pool_plaintextAndTlsToOneAddress_neverShareAConnection() {
    Server server = startTls(serverTls("127.0.0.1"));
    ClientResources shared = closer.add(ClientResources.create());
    Client tls = closer.add(new Client(reference(server).withTls(TRUSTING_CA), shared));
    Client tlsToo = closer.add(new Client(reference(server).withTls(TRUSTING_CA), shared));
    closer.add(new Client(reference(server), shared));

    assertThat(shared.connectionCount()).isEqualTo(2);
    assertThat(tls.unary("unary", EchoService.SER, EchoService.DES).call("a")).isEqualTo("a");
    assertThat(tlsToo.unary("unary", EchoService.SER, EchoService.DES).call("b")).isEqualTo("b");
  }

  @Test
  void start_missingKeyFile_failsNamingTheFile() {
    Path missing = Path.of("no-such-dir", "server.key");
    ServerTls tls = ServerTls.fromPem(ca.certificateFile(), missing);

    assertThatThrownBy(() -> startTls(tls))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server.key");
  }

  @Test
  void client_missingTrustFile_failsNamingTheFile() {
    Server server = startTls(serverTls("127.0.0.1"));
    ClientTls tls = ClientTls.defaults().withTrustedCertificates(Path.of("no-such-ca.pem"));

    assertThatThrownBy(() -> greet(reference(server).withTls(tls)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-ca.pem");
  }
}
