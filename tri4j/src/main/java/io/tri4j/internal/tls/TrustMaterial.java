package io.tri4j.internal.tls;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Objects;

/** The certificates an endpoint trusts to sign its peer's: a PEM file, or a {@link KeyStore}. */
public sealed interface TrustMaterial {

  /** The files to watch for changes; none for a key store. */
  List<Path> files();

  /** One or more PEM certificates. */
  record Pem(Path certificates) implements TrustMaterial {
    public Pem {
      Objects.requireNonNull(certificates, "certificates");
    }

    @Override
    public List<Path> files() {
      return List.of(certificates);
    }

    @Override
    public String toString() {
      return "PEM " + certificates;
    }
  }

  /** The trusted certificate entries of a key store. Compared by identity. */
  record Store(KeyStore trustStore) implements TrustMaterial {
    public Store {
      Objects.requireNonNull(trustStore, "trustStore");
    }

    @Override
    public List<Path> files() {
      return List.of();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Store s && s.trustStore == trustStore;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(trustStore);
    }

    @Override
    public String toString() {
      return trustStore.getType() + " trust store";
    }
  }
}
