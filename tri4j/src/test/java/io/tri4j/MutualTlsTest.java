package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.testing.Closer;
import io.tri4j.testing.TestPki;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mutual TLS: client certificates required or optional, the verified identity as handlers and
 * interceptors see it, and authorization on it.
 */
@Timeout(30)
class MutualTlsTest {
  private static final TestPki ca = TestPki.shared();
  private static final TestPki.Issued serverCert = ca.issue("server", "127.0.0.1");
  private static final TestPki.Issued billing = ca.issue("billing");
  private static final TestPki.Issued intruder = ca.issue("intruder");
  private static final ClientTls ANONYMOUS =
      ClientTls.defaults().withTrustedCertificates(ca.certificateFile());

  @RegisterExtension final Closer closer = new Closer();

  /** Answers with the principal of the caller, as the handler sees it. */
  private static RpcServiceHandler who() {
    return new RpcServiceHandler(
        "mtls.Who",
        Map.of(
            "who",
            RpcMethodHandler.unary(
                (String request) -> {
                  ServerContext ctx = ServerContext.current();
                  return ctx.peerIdentity()
                      .map(p -> p.principal().getName() + " chain=" + p.certificates().size())
                      .orElse("anonymous");
                },
                EchoService.DES,
                EchoService.SER)));
  }

  private Server start(ServerOptions options) {
    Server server =
        new Server(options, new ServiceConfig(who()).withHost("127.0.0.1").withPort(0)).start();
    closer.add(server);
    return server;
  }

  private Server start(ServerTls.ClientAuth clientAuth) {
    return start(
        ServerOptions.defaults()
            .withTls(
                ServerTls.fromPem(serverCert.certificateFile(), serverCert.keyFile())
                    .withClientAuth(clientAuth, ca.certificateFile())));
  }

  private String who(Server server, ClientTls tls) {
    Client client =
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/mtls.Who").withTls(tls));
    closer.add(client);
    return client.unary("who", EchoService.SER, EchoService.DES).call("?");
  }

  private static ClientTls as(TestPki.Issued cert) {
    return ANONYMOUS.withKeyAndCertificate(cert.certificateFile(), cert.keyFile());
  }

  @Test
  void required_clientWithCertificate_handlerSeesVerifiedIdentity() {
    Server server = start(ServerTls.ClientAuth.REQUIRE);

    assertThat(who(server, as(billing))).isEqualTo("CN=billing chain=2");
  }

  @ParameterizedTest
  @EnumSource(
      value = TlsProvider.class,
      names = {"JDK", "OPENSSL"})
  void required_clientWithoutCertificate_refusedAndServerKeepsServing(TlsProvider provider) {
    Server server =
        start(
            ServerOptions.defaults()
                .withTls(
                    ServerTls.fromPem(serverCert.certificateFile(), serverCert.keyFile())
                        .withClientAuth(ServerTls.ClientAuth.REQUIRE, ca.certificateFile())
                        .withProvider(provider)));

    assertStatus(
        () -> who(server, ANONYMOUS.withProvider(provider)),
        Status.Code.UNAVAILABLE,
        "requires a client certificate");
    assertThat(who(server, as(billing))).startsWith("CN=billing");
  }

  @Test
  void optional_withAndWithoutCertificate_identityOnlyWhenGiven() {
    Server server = start(ServerTls.ClientAuth.OPTIONAL);

    assertThat(who(server, ANONYMOUS)).isEqualTo("anonymous");
    assertThat(who(server, as(billing))).startsWith("CN=billing");
  }

  @Test
  void none_clientCertificateNotAskedFor_anonymous() {
    Server server = start(ServerTls.ClientAuth.NONE);

    assertThat(who(server, as(billing))).isEqualTo("anonymous");
  }

  @Test
  void interceptor_authorizesOnPrincipal() {
    ServerInterceptor onlyBilling =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String who = call.peerIdentity().map(p -> p.principal().getName()).orElse("");
            if (!who.equals("CN=billing")) {
              call.close(
                  Status.PERMISSION_DENIED.withDescription("Only billing may call, not " + who),
                  new Metadata());
              return new ServerCall.Listener<>() {};
            }
            return next.startCall(call, headers);
          }
        };
    Server server =
        start(
            ServerOptions.defaults()
                .withTls(
                    ServerTls.fromPem(serverCert.certificateFile(), serverCert.keyFile())
                        .withClientAuth(ServerTls.ClientAuth.REQUIRE, ca.certificateFile()))
                .withInterceptors(onlyBilling));

    assertThat(who(server, as(billing))).startsWith("CN=billing");
    assertStatus(
        () -> who(server, as(intruder)),
        Status.Code.PERMISSION_DENIED,
        "Only billing may call, not CN=intruder");
  }

  @Test
  void plaintext_noIdentity() {
    Server server = start(ServerOptions.defaults());
    Client client =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/mtls.Who"));
    closer.add(client);

    assertThat(client.unary("who", EchoService.SER, EchoService.DES).call("?"))
        .isEqualTo("anonymous");
  }
}
