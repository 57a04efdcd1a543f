package io.tri4j.internal.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.tri4j.TlsProvider;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds Netty's {@link SslContext} from {@link TlsSettings}: TLS 1.2 and 1.3, ALPN, HTTP/2
 * ciphers.
 */
final class SslContexts {
  private SslContexts() {}

  /**
   * A new context read from the settings' files or stores now.
   *
   * @throws IllegalArgumentException if a file cannot be read or holds no usable key or
   *     certificate, or a key store cannot be opened
   * @throws IllegalStateException if OpenSSL is asked for but not available
   */
  static SslContext build(TlsSettings settings) {
    try {
      SslContextBuilder builder;
      if (settings.server()) {
        builder =
            settings.key() instanceof KeyMaterial.Pem pem
                ? SslContextBuilder.forServer(
                    pem.certificateChain().toFile(), pem.privateKey().toFile(), pem.keyPassword())
                : SslContextBuilder.forServer(keyManagers((KeyMaterial.Store) settings.key()));
        builder.clientAuth(
            switch (settings.clientAuth()) {
              case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
              case OPTIONAL -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
              case REQUIRE -> io.netty.handler.ssl.ClientAuth.REQUIRE;
            });
      } else {
        builder = SslContextBuilder.forClient();
        if (settings.key() instanceof KeyMaterial.Pem pem) {
          builder.keyManager(
              pem.certificateChain().toFile(), pem.privateKey().toFile(), pem.keyPassword());
        } else if (settings.key() instanceof KeyMaterial.Store store) {
          builder.keyManager(keyManagers(store));
        }
        builder.endpointIdentificationAlgorithm(settings.verifyHostname() ? "HTTPS" : null);
      }
      if (settings.trust() instanceof TrustMaterial.Pem pem) {
        builder.trustManager(pem.certificates().toFile());
      } else if (settings.trust() instanceof TrustMaterial.Store store) {
        TrustManagerFactory factory =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store.trustStore());
        builder.trustManager(factory);
      }
      return builder
          .sslProvider(provider(settings.provider()))
          .protocols("TLSv1.3", "TLSv1.2")
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(
              new ApplicationProtocolConfig(
                  ApplicationProtocolConfig.Protocol.ALPN,
                  // Peers without ALPN still connect: the server then tells HTTP/2 from
                  // HTTP/1.1 by the first bytes, and a client refuses anything but h2 itself.
                  ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                  ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                  settings.server()
                      ? new String[] {
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1
                      }
                      : new String[] {ApplicationProtocolNames.HTTP_2}))
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot set up TLS from "
              + describe(settings)
              + ": "
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Cannot open the key store of " + describe(settings) + ": " + e.getMessage(), e);
    }
  }

  /** The provider to use: OpenSSL for {@link TlsProvider#AUTO} when it is available. */
  static SslProvider provider(TlsProvider provider) {
    return switch (provider) {
      case JDK -> SslProvider.JDK;
      case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          throw new IllegalStateException(
              "TLS with OpenSSL was asked for, but it is not available (add"
                  + " io.netty:netty-tcnative-boringssl-static for this platform, or use"
                  + " TlsProvider.JDK): "
                  + OpenSsl.unavailabilityCause());
        }
        yield SslProvider.OPENSSL;
      }
    };
  }

  private static KeyManagerFactory keyManagers(KeyMaterial.Store store)
      throws GeneralSecurityException {
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store.keyStore(), store.password());
    return factory;
  }

  private static String describe(TlsSettings settings) {
    StringBuilder s = new StringBuilder();
    if (settings.key() != null) {
      s.append("key ").append(settings.key());
    }
    if (settings.trust() != null) {
      s.append(s.length() == 0 ? "" : ", ").append("trusted ").append(settings.trust());
    }
    return s.length() == 0 ? "the default trust roots" : s.toString();
  }
}
