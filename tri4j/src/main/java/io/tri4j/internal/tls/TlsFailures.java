package io.tri4j.internal.tls;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Says in words why a TLS handshake failed: which side's certificate was refused and why, or that
 * the peer does not speak TLS. The JDK and OpenSSL word the same failures differently; this reads
 * both.
 */
public final class TlsFailures {
  private TlsFailures() {}

  /**
   * As {@link #describe(Throwable)}, for a client that presented a certificate or not: the JDK's
   * server answers a missing one with the same alert as a bad one.
   */
  public static String describeForClient(Throwable failure, boolean presentedCertificate) {
    String described = describe(failure);
    return !presentedCertificate && described.startsWith(REFUSED)
        ? REQUIRED + described.substring(REFUSED.length())
        : described;
  }

  private static final String REFUSED = "the peer refused the certificate presented";
  private static final String REQUIRED =
      "the server requires a client certificate and none was presented";

  /** A sentence (no trailing period) about why a handshake failed, with the provider's words. */
  public static String describe(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof DecoderException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String detail = messages(cause);
    String lower = detail.toLowerCase(Locale.ROOT);
    String reason;
    if (cause instanceof NotSslRecordException || lower.contains("not an ssl/tls record")) {
      reason = "the peer did not answer with TLS (is it a plaintext port?)";
    } else if (has(cause, CertificateExpiredException.class) || lower.contains("expired")) {
      reason = "a certificate has expired";
    } else if (has(cause, CertificateNotYetValidException.class)
        || lower.contains("not yet valid")) {
      reason = "a certificate is not yet valid";
    } else if (lower.contains("no subject alternative")
        || lower.contains("no name matching")
        || lower.contains("hostname")) {
      reason = "the server's certificate does not name the host dialled";
    } else if (has(cause, CertPathValidatorException.class)
        || lower.contains("unable to find valid certification path")
        || lower.contains("unable to get local issuer")
        || lower.contains("certificate_unknown")
        || lower.contains("unknown_ca")
        || lower.contains("unknown ca")) {
      reason = "a certificate is not signed by a trusted authority";
    } else if (lower.contains("certificate_required")
        || lower.contains("peer_did_not_return_a_certificate")
        || lower.contains("empty client certificate chain")
        || lower.contains("null cert chain")) {
      reason = REQUIRED;
    } else if (lower.contains("bad_certificate") || lower.contains("bad certificate")) {
      reason = REFUSED;
    } else if (cause instanceof ClosedChannelException || lower.contains("closed")) {
      reason = "the connection closed during the handshake (is it a plaintext port?)";
    } else {
      reason = "the TLS handshake failed";
    }
    return detail.isEmpty() ? reason : reason + " (" + detail + ")";
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** The messages of the cause chain, outermost first, without repeats. */
  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && !m.isBlank() && all.indexOf(m) < 0) {
        all.append(all.length() == 0 ? "" : ": ").append(m);
      }
    }
    return all.toString();
  }
}
