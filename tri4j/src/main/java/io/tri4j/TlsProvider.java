package io.tri4j;

/**
 * Which TLS implementation encrypts connections: {@link #AUTO} (the default) takes OpenSSL when
 * {@code io.netty:netty-tcnative-boringssl-static} is on the class path, and the JDK's otherwise.
 * Both speak TLS 1.2 and 1.3 with ALPN; OpenSSL is faster.
 */
public enum TlsProvider {
  /** OpenSSL if available, else the JDK. */
  AUTO,
  /** The JDK's own {@code SSLEngine}. */
  JDK,
  /** OpenSSL (BoringSSL) through netty-tcnative; fails at start if it is not available. */
  OPENSSL
}
