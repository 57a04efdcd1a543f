package io.tri4j;

import io.tri4j.internal.tls.KeyMaterial;
import io.tri4j.internal.tls.TlsSettings;
import io.tri4j.internal.tls.TrustMaterial;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;

/**
 * The TLS of a {@link Server}'s ports ({@link ServerOptions#withTls}): its key and certificate, and
 * whether and how clients prove who they are (mTLS).
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.defaults().withTls(
 *     ServerTls.fromPem(Path.of("server.pem"), Path.of("server.key"))
 *         .withClientAuth(ServerTls.ClientAuth.REQUIRE, Path.of("clients-ca.pem"))
 *         .withReloadInterval(Duration.ofMinutes(1)));
 * }</pre>
 *
 * <h2>Protocols</h2>
 *
 * TLS 1.2 and 1.3. Clients choose the protocol with ALPN: {@code h2} for gRPC and Triple, {@code
 * http/1.1} for the JSON endpoint, on the same port; a client without ALPN is told apart by its
 * first bytes. Every TCP port of the server takes TLS only; in-memory listeners carry no bytes out
 * of the JVM and stay unencrypted.
 *
 * <h2>Reloading</h2>
 *
 * With {@link #withReloadInterval}, the PEM files are checked for changes at that interval and read
 * again when they change: new connections get the new certificate, open ones keep theirs. Files
 * that cannot be used leave the previous ones in service (and the log says so).
 *
 * <p>Immutable: the {@code withX} methods return copies.
 */
public final class ServerTls {

  /** Whether clients must present a certificate. */
  public enum ClientAuth {
    /** No client certificates are asked for: the default. */
    NONE,
    /** Clients may present one; it is verified if they do. */
    OPTIONAL,
    /** Clients must present one the server trusts, or the handshake fails. */
    REQUIRE
  }

  private final TlsSettings settings;

  private ServerTls(TlsSettings settings) {
    this.settings = settings;
  }

  /**
   * TLS with the certificate chain (the server's certificate first) and the unencrypted PKCS#8
   * private key in these PEM files, read when the server starts.
   */
  public static ServerTls fromPem(Path certificateChain, Path privateKey) {
    return new ServerTls(
        TlsSettings.forServer(new KeyMaterial.Pem(certificateChain, privateKey, null)));
  }

  /** TLS with the key entry of {@code keyStore}, whose key opens with {@code password}. */
  public static ServerTls fromKeyStore(KeyStore keyStore, char[] password) {
    return new ServerTls(
        TlsSettings.forServer(
            new KeyMaterial.Store(keyStore, Objects.requireNonNull(password, "password").clone())));
  }

  /**
   * A copy that asks clients for certificates ({@code REQUIRE} or {@code OPTIONAL}) signed by one
   * of the PEM certificates in {@code trustedCertificates}.
   */
  public ServerTls withClientAuth(ClientAuth clientAuth, Path trustedCertificates) {
    return new ServerTls(
        settings.withClientAuth(clientAuth).withTrust(new TrustMaterial.Pem(trustedCertificates)));
  }

  /** As {@link #withClientAuth(ClientAuth, Path)}, trusting the certificates of a key store. */
  public ServerTls withClientAuth(ClientAuth clientAuth, KeyStore trustStore) {
    return new ServerTls(
        settings.withClientAuth(clientAuth).withTrust(new TrustMaterial.Store(trustStore)));
  }

  /**
   * A copy that checks its PEM files every {@code interval} and reads them again when they change.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public ServerTls withReloadInterval(Duration interval) {
    return new ServerTls(settings.withReloadInterval(interval));
  }

  /** A copy using {@code provider} ({@link TlsProvider#AUTO} by default). */
  public ServerTls withProvider(TlsProvider provider) {
    return new ServerTls(settings.withProvider(provider));
  }

  /** Whether clients are asked for certificates. */
  public ClientAuth clientAuth() {
    return settings.clientAuth();
  }

  TlsSettings settings() {
    return settings;
  }

  @Override
  public String toString() {
    return "ServerTls{key="
        + settings.key()
        + ", clientAuth="
        + settings.clientAuth()
        + (settings.trust() == null ? "" : ", trusted=" + settings.trust())
        + ", provider="
        + settings.provider()
        + (settings.reloadInterval() == null ? "" : ", reload=" + settings.reloadInterval())
        + "}";
  }
}
