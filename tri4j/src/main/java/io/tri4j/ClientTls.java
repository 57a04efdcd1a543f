package io.tri4j;

import io.tri4j.internal.tls.KeyMaterial;
import io.tri4j.internal.tls.TlsSettings;
import io.tri4j.internal.tls.TrustMaterial;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;

/**
 * The TLS of a {@link Client}'s connections ({@link ReferenceConfig#withTls}): which servers it
 * trusts, the name it checks, and its own certificate for servers that ask for one (mTLS).
 *
 * <pre>{@code
 * ClientTls tls = ClientTls.defaults()
 *     .withTrustedCertificates(Path.of("ca.pem"))
 *     .withKeyAndCertificate(Path.of("client.pem"), Path.of("client.key")); // for mTLS
 * Client client = new Client(ReferenceConfig.fromUrl("tri://api.example.com:50051/pkg.Greeter")
 *     .withTls(tls));
 * }</pre>
 *
 * <h2>Server identity</h2>
 *
 * The server's certificate must be signed by a trusted root (the JDK's by default) and name the
 * host dialled, as HTTPS does; {@link #withServerNameOverride} checks another name instead (and
 * sends it as SNI and {@code :authority}). The client speaks HTTP/2 only: a server that does not
 * agree to {@code h2} by ALPN is refused.
 *
 * <h2>Sharing</h2>
 *
 * Clients share a connection only when they dial the same address with equal TLS settings, so
 * plaintext and TLS never mix on one connection. Settings read from PEM files are equal when they
 * name the same files; those read from key stores when they hold the same store object.
 *
 * <p>Immutable: the {@code withX} methods return copies.
 */
public final class ClientTls {
  private static final ClientTls DEFAULTS = new ClientTls(TlsSettings.forClient());

  private final TlsSettings settings;

  private ClientTls(TlsSettings settings) {
    this.settings = settings;
  }

  /** TLS trusting the JDK's root certificates, verifying the host name, with no own certificate. */
  public static ClientTls defaults() {
    return DEFAULTS;
  }

  /** A copy trusting only the PEM certificates in {@code trustedCertificates}. */
  public ClientTls withTrustedCertificates(Path trustedCertificates) {
    return new ClientTls(settings.withTrust(new TrustMaterial.Pem(trustedCertificates)));
  }

  /** A copy trusting only the certificates of {@code trustStore}. */
  public ClientTls withTrustStore(KeyStore trustStore) {
    return new ClientTls(settings.withTrust(new TrustMaterial.Store(trustStore)));
  }

  /**
   * A copy presenting the certificate chain (the client's certificate first) and unencrypted PKCS#8
   * private key in these PEM files to servers that ask for one.
   */
  public ClientTls withKeyAndCertificate(Path certificateChain, Path privateKey) {
    return new ClientTls(settings.withKey(new KeyMaterial.Pem(certificateChain, privateKey, null)));
  }

  /** A copy presenting the key entry of {@code keyStore}, whose key opens with {@code password}. */
  public ClientTls withKeyStore(KeyStore keyStore, char[] password) {
    return new ClientTls(
        settings.withKey(
            new KeyMaterial.Store(keyStore, Objects.requireNonNull(password, "password").clone())));
  }

  /**
   * A copy that expects the server's certificate to name {@code serverName} instead of the host
   * dialled, and sends that name as SNI and {@code :authority}: for a server reached by an address
   * its certificate does not carry.
   */
  public ClientTls withServerNameOverride(String serverName) {
    if (Objects.requireNonNull(serverName, "serverName").isBlank()) {
      throw new IllegalArgumentException("The server name must not be blank");
    }
    return new ClientTls(settings.withServerNameOverride(serverName));
  }

  /**
   * A copy that does not check that the server's certificate names the host (it is still checked
   * against the trusted roots). Only for tests: any holder of a trusted certificate can then pose
   * as the server.
   */
  public ClientTls withoutHostnameVerification() {
    return new ClientTls(settings.withVerifyHostname(false));
  }

  /**
   * A copy that checks its PEM files every {@code interval}, and before each new connection, and
   * reads them again when they change: a new connection always uses the files as they are.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public ClientTls withReloadInterval(Duration interval) {
    return new ClientTls(settings.withReloadInterval(interval));
  }

  /** A copy using {@code provider} ({@link TlsProvider#AUTO} by default). */
  public ClientTls withProvider(TlsProvider provider) {
    return new ClientTls(settings.withProvider(provider));
  }

  /** The name checked instead of the host, or null. */
  public String serverNameOverride() {
    return settings.serverNameOverride();
  }

  TlsSettings settings() {
    return settings;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientTls c && c.settings.equals(settings);
  }

  @Override
  public int hashCode() {
    return settings.hashCode();
  }

  @Override
  public String toString() {
    return "ClientTls{trusted="
        + (settings.trust() == null ? "JDK roots" : settings.trust())
        + (settings.key() == null ? "" : ", key=" + settings.key())
        + (settings.serverNameOverride() == null
            ? ""
            : ", serverName=" + settings.serverNameOverride())
        + (settings.verifyHostname() ? "" : ", no hostname verification")
        + ", provider="
        + settings.provider()
        + (settings.reloadInterval() == null ? "" : ", reload=" + settings.reloadInterval())
        + "}";
  }
}
