package io.tri4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for a test at run time (no key is ever committed): a certificate authority that
 * issues server and client certificates, valid now or not, written as PEM files.
 *
 * <pre>{@code
 * TestPki ca = TestPki.newAuthority("test CA", dir);
 * TestPki.Issued server = ca.issue("server", "127.0.0.1", "localhost");
 * ServerTls.fromPem(server.certificateFile(), server.keyFile());
 * }</pre>
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private static volatile TestPki shared;

  private final String name;
  private final KeyPair keys;
  private final X509Certificate certificate;
  private final Path dir;
  private final Path certificateFile;

  /** A certificate with its key, and the PEM files holding them. */
  public record Issued(
      X509Certificate certificate, KeyPair keys, Path certificateFile, Path keyFile) {

    /** The same certificate and key in {@code dir}'s {@code tls.pem} and {@code tls.key}. */
    public Issued copyTo(Path dir) {
      Issued copy = new Issued(certificate, keys, dir.resolve("tls.pem"), dir.resolve("tls.key"));
      copy.overwriteWith(this);
      return copy;
    }

    /**
     * Writes {@code other}'s certificate and key over these files, dated a minute ahead so that a
     * watcher sees the change even where file times are coarse.
     */
    public void overwriteWith(Issued other) {
      FileTime later = FileTime.from(Instant.now().plus(Duration.ofMinutes(1)));
      try {
        Files.copy(other.certificateFile, certificateFile, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(other.keyFile, keyFile, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(certificateFile, later);
        Files.setLastModifiedTime(keyFile, later);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private TestPki(String name, KeyPair keys, X509Certificate certificate, Path dir) {
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
    this.dir = dir;
    this.certificateFile = dir.resolve(fileName(name) + "-ca.pem");
    writePem(certificateFile, certificate);
  }

  /**
   * A new self-signed authority, valid for a day around now, writing its files into {@code dir}.
   */
  public static TestPki newAuthority(String name, Path dir) {
    KeyPair keys = newKeys();
    Instant now = Instant.now();
    X509Certificate certificate =
        sign(
            name,
            keys,
            name,
            keys,
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(1)),
            true,
            List.of());
    return new TestPki(name, keys, certificate, dir);
  }

  /**
   * One authority for the whole test JVM, with a server certificate for {@code 127.0.0.1} and
   * {@code localhost} ({@code server}) and a client certificate ({@code client}), made once.
   */
  public static synchronized TestPki shared() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("tri4j-pki");
        dir.toFile().deleteOnExit();
        shared = newAuthority("tri4j test CA", dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** The authority's certificate, as a PEM file: what peers trust. */
  public Path certificateFile() {
    return certificateFile;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A JDK {@link SSLContext} that trusts this authority only: for clients other than tri4j's. */
  public SSLContext trustingSslContext() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", certificate);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, factory.getTrustManagers(), null);
      return ssl;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A certificate for {@code commonName}, valid for a day around now, naming {@code names} (IP
   * addresses or DNS names) as subject alternative names.
   */
  public Issued issue(String commonName, String... names) {
    Instant now = Instant.now();
    return issue(commonName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), names);
  }

  /** As {@link #issue(String, String...)}, valid from {@code notBefore} to {@code notAfter}. */
  public Issued issue(String commonName, Instant notBefore, Instant notAfter, String... names) {
    KeyPair subject = newKeys();
    X509Certificate cert =
        sign(name, keys, commonName, subject, notBefore, notAfter, false, List.of(names));
    String base = fileName(commonName) + "-" + SERIAL.incrementAndGet();
    Path certFile = dir.resolve(base + ".pem");
    Path keyFile = dir.resolve(base + ".key");
    writePem(certFile, cert, certificate);
    try {
      writePem(keyFile, new JcaPKCS8Generator(subject.getPrivate(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    certFile.toFile().deleteOnExit();
    keyFile.toFile().deleteOnExit();
    return new Issued(cert, subject, certFile, keyFile);
  }

  private static X509Certificate sign(
      String issuer,
      KeyPair issuerKeys,
      String subject,
      KeyPair subjectKeys,
      Instant notBefore,
      Instant notAfter,
      boolean ca,
      List<String> names) {
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              new X500Name("CN=" + issuer),
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Name("CN=" + subject),
              subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(
              ca
                  ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                  : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      if (!names.isEmpty()) {
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
          boolean ip = Character.isDigit(n.charAt(0)) || n.contains(":");
          sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(new GeneralName[0])));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot make a test certificate", e);
    }
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writePem(Path file, Object... objects) {
    try (Writer out = Files.newBufferedWriter(file);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        pem.writeObject(o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fileName(String name) {
    return name.replaceAll("[^A-Za-z0-9]+", "-");
  }
}
