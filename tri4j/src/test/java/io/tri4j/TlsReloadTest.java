package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.testing.Closer;
import io.tri4j.testing.TestPki;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PEM files replaced while the server or the client runs: new connections present the new
 * certificate, without a restart.
 */
@Timeout(30)
class TlsReloadTest {
  private static final TestPki ca = TestPki.shared();
  private static final java.time.Duration RELOAD = java.time.Duration.ofMillis(50);

  @RegisterExtension final Closer closer = new Closer();

  /** The subject of the certificate a new TLS connection to {@code port} is shown. */
  private static String serverCertificateSubject(int port) throws Exception {
    SSLContext ssl = ca.trustingSslContext();
    try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }

  /** Asks until {@code value} gives {@code expected}, as a watcher picks the change up. */
  private static void awaitValue(Supplier<String> value, String expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = value.get();
      } catch (RuntimeException e) {
        last = e.toString(); // a connection that went down with its server
      }
      if (expected.equals(last)) {
        return;
      }
      Thread.sleep(20);
    }
    assertThat(last).isEqualTo(expected);
  }

  private static Supplier<String> unchecked(java.util.concurrent.Callable<String> call) {
    return () -> {
      try {
        return call.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  @Test
  void server_filesReplaced_newConnectionsGetTheNewCertificate(@TempDir Path dir) throws Exception {
    TestPki.Issued files = ca.issue("first", "127.0.0.1").copyTo(dir);
    Server server =
        new Server(
                ServerOptions.defaults()
                    .withTls(
                        ServerTls.fromPem(files.certificateFile(), files.keyFile())
                            .withReloadInterval(RELOAD)),
                new ServiceConfig(new EchoService().handler()).withHost("127.0.0.1").withPort(0))
            .start();
    closer.add(server);
    Client client =
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + EchoService.NAME)
                .withTls(ClientTls.defaults().withTrustedCertificates(ca.certificateFile())));
    closer.add(client);
    UnaryCallable<String, String> echo = client.unary("unary", EchoService.SER, EchoService.DES);
    assertThat(echo.call("before")).isEqualTo("before");
    assertThat(serverCertificateSubject(server.port())).isEqualTo("CN=first");

    files.overwriteWith(ca.issue("second", "127.0.0.1"));

    awaitValue(unchecked(() -> serverCertificateSubject(server.port())), "CN=second");
    assertThat(echo.call("open connection goes on")).isEqualTo("open connection goes on");
  }

  @Test
  void client_filesReplaced_nextConnectionPresentsTheNewCertificate(@TempDir Path dir)
      throws Exception {
    TestPki.Issued serverCert = ca.issue("server", "127.0.0.1");
    ServerOptions options =
        ServerOptions.defaults()
            .withTls(
                ServerTls.fromPem(serverCert.certificateFile(), serverCert.keyFile())
                    .withClientAuth(ServerTls.ClientAuth.REQUIRE, ca.certificateFile()));
    RpcServiceHandler who =
        new RpcServiceHandler(
            "reload.Who",
            Map.of(
                "who",
                RpcMethodHandler.unary(
                    (String r) ->
                        ServerContext.current().peerIdentity().orElseThrow().principal().getName(),
                    EchoService.DES,
                    EchoService.SER)));
    Server first =
        new Server(options, new ServiceConfig(who).withHost("127.0.0.1").withPort(0)).start();
    int port = first.port();
    TestPki.Issued files = ca.issue("alice").copyTo(dir);
    Client client =
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + port + "/reload.Who")
                .withTls(
                    ClientTls.defaults()
                        .withTrustedCertificates(ca.certificateFile())
                        .withKeyAndCertificate(files.certificateFile(), files.keyFile())
                        .withReloadInterval(java.time.Duration.ofMinutes(1))));
    closer.add(client);
    UnaryCallable<String, String> call = client.unary("who", EchoService.SER, EchoService.DES);
    assertThat(call.call("?")).isEqualTo("CN=alice");

    files.overwriteWith(ca.issue("bob"));
    // The client's connection ends with its server. The watcher may not have run yet (its interval
    // is a minute): the connection the client opens next reads the changed files first.
    first.close();
    Server second =
        new Server(options, new ServiceConfig(who).withHost("127.0.0.1").withPort(port)).start();
    closer.add(second);

    assertThat(firstAnswer(() -> call.call("?"))).isEqualTo("CN=bob");
  }

  /** The first answer {@code call} gives, trying again while the old connection goes down. */
  private static String firstAnswer(Supplier<String> call) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return call.get();
      } catch (StatusException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }
}
