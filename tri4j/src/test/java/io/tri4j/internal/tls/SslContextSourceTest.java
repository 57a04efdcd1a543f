package io.tri4j.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.tri4j.TlsProvider;
import io.tri4j.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS context of new connections: which provider, and reading files again when they change. */
class SslContextSourceTest {
  private static final TestPki ca = TestPki.shared();

  private static TlsSettings server(TestPki.Issued cert) {
    return TlsSettings.forServer(new KeyMaterial.Pem(cert.certificateFile(), cert.keyFile(), null));
  }

  @Test
  void reloadIfChanged_unchangedFiles_keepsTheContext(@TempDir Path dir) {
    TestPki.Issued files = ca.issue("first").copyTo(dir);
    try (SslContextSource source = SslContextSource.start(server(files))) {
      SslContext first = source.current();

      assertThat(source.reloadIfChanged()).isFalse();
      assertThat(source.current()).isSameAs(first);
    }
  }

  @Test
  void reloadIfChanged_filesReplaced_newContext(@TempDir Path dir) {
    TestPki.Issued files = ca.issue("first").copyTo(dir);
    try (SslContextSource source = SslContextSource.start(server(files))) {
      SslContext first = source.current();
      files.overwriteWith(ca.issue("second"));

      assertThat(source.reloadIfChanged()).isTrue();
      assertThat(source.current()).isNotSameAs(first);
      assertThat(source.reloadIfChanged()).as("read once per change").isFalse();
    }
  }

  @Test
  void reloadIfChanged_clientKeyReplaced_newContext(@TempDir Path dir) {
    TestPki.Issued files = ca.issue("alice").copyTo(dir);
    TlsSettings client =
        TlsSettings.forClient()
            .withKey(new KeyMaterial.Pem(files.certificateFile(), files.keyFile(), null))
            .withTrust(new TrustMaterial.Pem(ca.certificateFile()));
    try (SslContextSource source = SslContextSource.start(client)) {
      SslContext first = source.current();
      files.overwriteWith(ca.issue("bob"));

      assertThat(source.reloadIfChanged()).isTrue();
      assertThat(source.current()).isNotSameAs(first);
      assertThat(source.current().isClient()).isTrue();
    }
  }

  @Test
  void reloadIfChanged_brokenFiles_keepsThePreviousContextUntilFixed(@TempDir Path dir)
      throws IOException {
    TestPki.Issued files = ca.issue("first").copyTo(dir);
    try (SslContextSource source = SslContextSource.start(server(files))) {
      SslContext first = source.current();
      Files.writeString(files.keyFile(), "not a key");

      assertThat(source.reloadIfChanged()).isFalse();
      assertThat(source.current()).isSameAs(first);

      files.overwriteWith(ca.issue("fixed"));
      assertThat(source.reloadIfChanged()).isTrue();
      assertThat(source.current()).isNotSameAs(first);
    }
  }

  @Test
  void refresh_withReloadsAndFilesReplaced_newContextBeforeTheWatcherRuns(@TempDir Path dir) {
    TestPki.Issued files = ca.issue("first").copyTo(dir);
    try (SslContextSource source =
        SslContextSource.start(server(files).withReloadInterval(java.time.Duration.ofHours(1)))) {
      SslContext first = source.current();
      files.overwriteWith(ca.issue("second"));

      source.refresh();

      assertThat(source.current()).isNotSameAs(first);
    }
  }

  @Test
  void refresh_withoutReloads_keepsTheContext(@TempDir Path dir) {
    TestPki.Issued files = ca.issue("first").copyTo(dir);
    try (SslContextSource source = SslContextSource.start(server(files))) {
      SslContext first = source.current();
      files.overwriteWith(ca.issue("second"));

      source.refresh();

      assertThat(source.current()).isSameAs(first);
    }
  }

  @Test
  void close_withReloads_stopsWatching() {
    SslContextSource source =
        SslContextSource.start(
            server(ca.issue("watched")).withReloadInterval(java.time.Duration.ofMinutes(1)));
    assertThat(source.isWatching()).isTrue();

    source.close();

    assertThat(source.isWatching()).isFalse();
  }

  @Test
  void start_withoutReloads_watchesNothing() {
    try (SslContextSource source = SslContextSource.start(server(ca.issue("fixed")))) {
      assertThat(source.isWatching()).isFalse();
    }
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
