package io.tri4j.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The words for a failed handshake, from the JDK's and OpenSSL's own. */
class TlsFailuresTest {

  @Test
  void describe_jdkUntrustedChain_saysNotTrusted() {
    assertThat(
            TlsFailures.describe(
                new SSLHandshakeException(
                    "PKIX path building failed: unable to find valid certification path to"
                        + " requested target")))
        .startsWith("a certificate is not signed by a trusted authority (PKIX");
  }

  @Test
  void describe_expiredInTheCauses_saysExpired() {
    SSLHandshakeException e = new SSLHandshakeException("validation failed");
    e.initCause(new CertificateExpiredException("NotAfter: yesterday"));

    assertThat(TlsFailures.describe(e)).startsWith("a certificate has expired");
  }

  @Test
  void describe_notTlsInADecoderException_saysPlaintext() {
    assertThat(
            TlsFailures.describe(
                new DecoderException(new NotSslRecordException("not an SSL/TLS record: 485454"))))
        .startsWith("the peer did not answer with TLS (is it a plaintext port?)");
  }

  @Test
  void describe_closedDuringHandshake_saysSo() {
    assertThat(TlsFailures.describe(new ClosedChannelException()))
        .isEqualTo("the connection closed during the handshake (is it a plaintext port?)");
  }

  @Test
  void describe_openSslCertificateRequiredAlert_saysACertificateIsRequired() {
    assertThat(
            TlsFailures.describe(
                new SSLHandshakeException(
                    "error:1000045c:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED")))
        .startsWith("the server requires a client certificate and none was presented");
  }

  @Test
  void describeForClient_badCertificateAlertWithoutOwnCertificate_saysOneIsRequired() {
    SSLHandshakeException alert =
        new SSLHandshakeException("Received fatal alert: bad_certificate");

    assertThat(TlsFailures.describeForClient(alert, true))
        .startsWith("the peer refused the certificate presented");
    assertThat(TlsFailures.describeForClient(alert, false))
        .startsWith("the server requires a client certificate and none was presented");
  }
}
