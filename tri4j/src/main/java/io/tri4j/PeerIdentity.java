package io.tri4j;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * Who the client of a call proved to be over mutual TLS: the certificate chain it presented, which
 * the server verified against its trusted roots during the handshake ({@link
 * ServerTls#withClientAuth}). Handlers read it from {@link ServerContext#peerIdentity()},
 * interceptors from {@link ServerCall#peerIdentity()}:
 *
 * <pre>{@code
 * public <Q, R> ServerCall.Listener<Q> interceptCall(
 *     ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
 *   String who = call.peerIdentity().map(p -> p.principal().getName()).orElse("");
 *   if (!who.equals("CN=billing")) {
 *     call.close(Status.PERMISSION_DENIED.withDescription("Only billing may call this"), new Metadata());
 *     return new ServerCall.Listener<>() {};
 *   }
 *   return next.startCall(call, headers);
 * }
 * }</pre>
 *
 * <p>Immutable.
 */
public final class PeerIdentity {
  private final List<X509Certificate> certificates;

  private PeerIdentity(List<X509Certificate> certificates) {
    this.certificates = certificates;
  }

  /**
   * The identity of a peer that presented {@code certificates}, its own first.
   *
   * @throws IllegalArgumentException if {@code certificates} is empty
   */
  public static PeerIdentity of(List<X509Certificate> certificates) {
    if (Objects.requireNonNull(certificates, "certificates").isEmpty()) {
      throw new IllegalArgumentException("A peer identity needs at least one certificate");
    }
    return new PeerIdentity(List.copyOf(certificates));
  }

  /** The verified certificate chain, the peer's own certificate first. */
  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** The subject of the peer's own certificate, such as {@code CN=billing,O=Example}. */
  public X500Principal principal() {
    return certificates.get(0).getSubjectX500Principal();
  }

  @Override
  public String toString() {
    return "PeerIdentity{" + principal().getName() + "}";
  }
}
