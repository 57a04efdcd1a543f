package io.tri4j.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.tri4j.TlsProvider;
import io.tri4j.testing.TestPki;
import org.junit.jupiter.api.Test;

/** The TLS context of new connections: which provider, and reading files again when they change. */
class SslContextSourceTest {
  private static final TestPki ca = TestPki.shared();

  private static TlsSettings server(TestPki.Issued cert) {
    return TlsSettings.forServer(new KeyMaterial.Pem(cert.certificateFile(), cert.keyFile(), null));
  }

  @Test
  void start_auto_takesOpenSslWhenOnTheClassPath() {
    assertThat(OpenSsl.isAvailable()).as("netty-tcnative on the test class path").isTrue();
    try (SslContextSource source = SslContextSource.start(server(ca.issue("auto")))) {
      assertThat(source.current()).isInstanceOf(ReferenceCountedOpenSslContext.class);
    }
  }

  @Test
  void start_jdk_takesTheJdkProvider() {
    TlsSettings jdk = server(ca.issue("jdk")).withProvider(TlsProvider.JDK);
    try (SslContextSource source = SslContextSource.start(jdk)) {
      assertThat(source.current()).isInstanceOf(JdkSslContext.class);
    }
  }
}
