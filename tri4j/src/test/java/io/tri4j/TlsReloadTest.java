package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.testing.Closer;
import io.tri4j.testing.TestPki;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PEM files replaced while the server runs: new connections get the new certificate, without a
 * restart (a client's files are watched by the same {@code SslContextSource}: see its test).
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
}
