package io.tri4j.internal.tls;

import io.tri4j.ServerTls.ClientAuth;
import io.tri4j.TlsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The TLS of one side of a connection, as the public configuration ({@code ServerTls}, {@code
 * ClientTls}) describes it. A value: clients whose settings are equal share connections.
 *
 * @param server whether this is the server's side
 * @param key the endpoint's own key and certificate chain; null for a client without one
 * @param trust the roots trusted to sign the peer's certificate; null for the JDK's default roots
 * @param clientAuth on a server, whether clients must present a certificate
 * @param provider which TLS implementation
 * @param reloadInterval how often PEM files are checked for changes; null for never
 * @param verifyHostname on a client, whether the server's certificate must name the host
 * @param serverNameOverride on a client, the name checked and sent (SNI, {@code :authority})
 *     instead of the host dialled; null for the host
 */
public record TlsSettings(
    boolean server,
    KeyMaterial key,
    TrustMaterial trust,
    ClientAuth clientAuth,
    TlsProvider provider,
    Duration reloadInterval,
    boolean verifyHostname,
    String serverNameOverride) {

  /** A server's settings with {@code key}, no client certificates, and the defaults. */
  public static TlsSettings forServer(KeyMaterial key) {
    return new TlsSettings(true, key, null, ClientAuth.NONE, TlsProvider.AUTO, null, false, null);
  }

  /** A client's settings trusting the JDK's roots, verifying the host name: the defaults. */
  public static TlsSettings forClient() {
    return new TlsSettings(false, null, null, ClientAuth.NONE, TlsProvider.AUTO, null, true, null);
  }

  public TlsSettings withKey(KeyMaterial key) {
    return new TlsSettings(
        server,
        key,
        trust,
        clientAuth,
        provider,
        reloadInterval,
        verifyHostname,
        serverNameOverride);
  }

  public TlsSettings withTrust(TrustMaterial trust) {
    return new TlsSettings(
        server,
        key,
        trust,
        clientAuth,
        provider,
        reloadInterval,
        verifyHostname,
        serverNameOverride);
  }

  public TlsSettings withClientAuth(ClientAuth clientAuth) {
    return new TlsSettings(
        server,
        key,
        trust,
        Objects.requireNonNull(clientAuth, "clientAuth"),
        provider,
        reloadInterval,
        verifyHostname,
        serverNameOverride);
  }

  public TlsSettings withProvider(TlsProvider provider) {
    return new TlsSettings(
        server,
        key,
        trust,
        clientAuth,
        Objects.requireNonNull(provider, "provider"),
        reloadInterval,
        verifyHostname,
        serverNameOverride);
  }

  /**
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public TlsSettings withReloadInterval(Duration interval) {
    if (Objects.requireNonNull(interval, "interval").isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("The reload interval must be positive: " + interval);
    }
    return new TlsSettings(
        server, key, trust, clientAuth, provider, interval, verifyHostname, serverNameOverride);
  }

  public TlsSettings withVerifyHostname(boolean verifyHostname) {
    return new TlsSettings(
        server,
        key,
        trust,
        clientAuth,
        provider,
        reloadInterval,
        verifyHostname,
        serverNameOverride);
  }

  public TlsSettings withServerNameOverride(String serverNameOverride) {
    return new TlsSettings(
        server,
        key,
        trust,
        clientAuth,
        provider,
        reloadInterval,
        verifyHostname,
        serverNameOverride);
  }

  /** The PEM files the settings read, which a reload watches. */
  public List<Path> files() {
    List<Path> files = new ArrayList<>();
    if (key != null) {
      files.addAll(key.files());
    }
    if (trust != null) {
      files.addAll(trust.files());
    }
    return files;
  }
}
