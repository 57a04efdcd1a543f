package io.tri4j.internal.tls;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Objects;

/**
 * Where an endpoint's own private key and certificate chain come from: PEM files, which may be
 * reloaded when they change, or a {@link KeyStore} held in memory.
 */
public sealed interface KeyMaterial {

  /** The files to watch for changes; none for a key store. */
  List<Path> files();

  /**
   * A PEM certificate chain (the endpoint's certificate first) and a PEM PKCS#8 private key.
   *
   * @param keyPassword the key's password, or null if it is not encrypted
   */
  record Pem(Path certificateChain, Path privateKey, String keyPassword) implements KeyMaterial {
    public Pem {
      Objects.requireNonNull(certificateChain, "certificateChain");
      Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public List<Path> files() {
      return List.of(certificateChain, privateKey);
    }

    @Override
    public String toString() {
      return "PEM " + certificateChain + " and " + privateKey;
    }
  }

  /**
   * A key store holding one key entry, whose key opens with {@code password}. Compared by identity:
   * the same store is the same material.
   */
  record Store(KeyStore keyStore, char[] password) implements KeyMaterial {
    public Store {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public List<Path> files() {
      return List.of();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Store s && s.keyStore == keyStore && s.password == password;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(keyStore);
    }

    @Override
    public String toString() {
      return keyStore.getType() + " key store";
    }
  }
}
