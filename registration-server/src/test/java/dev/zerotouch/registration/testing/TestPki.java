package dev.zerotouch.registration.testing;

import dev.zerotouch.protocol.pki.Fingerprints;
import dev.zerotouch.protocol.pki.Pem;
import dev.zerotouch.registry.CertificateRecord;
import dev.zerotouch.registry.CertificateStatus;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway CA for tests, made with Bouncy Castle: EC P-256 keys (RSA-2048 on request), a CA
 * certificate, a server certificate for localhost and device certificates with whatever flaw a
 * test needs.
 */
public final class TestPki {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final boolean rsa;

  private TestPki(KeyPair caKeys, X509Certificate caCertificate, boolean rsa) {
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
    this.rsa = rsa;
  }

  public static TestPki create(String name) {
    return create(name, false);
  }

  /** With {@code rsa}, the CA and server keys are RSA-2048 (as the benchmark's peer uses). */
  public static TestPki create(String name, boolean rsa) {
    KeyPair keys = rsa ? newRsaKeyPair() : newKeyPair();
    Instant now = Instant.now();
    X509Certificate ca = sign(keys, keys, new X500Name("CN=" + name), new X500Name("CN=" + name),
        now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(30)), true, null, null);
    return new TestPki(keys, ca, rsa);
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /** A device certificate with the given key, validity and extended key usage. */
  public Identity device(String cn, KeyPair keys, Instant notBefore, Instant notAfter,
      KeyPurposeId usage) {
    X509Certificate certificate = sign(caKeys, keys, caName(), new X500Name("CN=" + cn),
        notBefore, notAfter, false, usage, null);
    return new Identity(keys, certificate, caCertificate);
  }

  /** A valid device certificate for clientAuth, with a fresh key. */
  public Identity device(String cn) {
    return device(cn, newKeyPair());
  }

  public Identity device(String cn, KeyPair keys) {
    Instant now = Instant.now();
    return device(cn, keys, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)),
        KeyPurposeId.id_kp_clientAuth);
  }

  /** A server certificate for localhost and 127.0.0.1. */
  public Identity server() {
    Instant now = Instant.now();
    GeneralNames names = new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
    KeyPair keys = rsa ? newRsaKeyPair() : newKeyPair();
    X509Certificate certificate = sign(caKeys, keys, caName(), new X500Name("CN=localhost"),
        now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)), false,
        KeyPurposeId.id_kp_serverAuth, names);
    return new Identity(keys, certificate, caCertificate);
  }

  /** Writes server.pem, server.key (0600) and ca.pem into {@code dir}. */
  public ServerFiles writeServerFiles(Path dir) throws IOException {
    Identity server = server();
    ServerFiles files = new ServerFiles(dir.resolve("server.pem"), dir.resolve("server.key"),
        dir.resolve("ca.pem"));
    Files.writeString(files.cert(), Pem.certificates(List.of(server.certificate())));
    Files.createFile(files.key(), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    Files.writeString(files.key(), Pem.privateKey(server.keys().getPrivate()),
        StandardCharsets.US_ASCII);
    Files.writeString(files.caCert(), Pem.certificate(caCertificate));
    return files;
  }

  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private X500Name caName() {
    return X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
  }

  private static X509Certificate sign(KeyPair issuerKeys, KeyPair subjectKeys, X500Name issuer,
      X500Name subject, Instant notBefore, Instant notAfter, boolean ca, KeyPurposeId usage,
      GeneralNames altNames) {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
          new BigInteger(64, RANDOM).setBit(63), Date.from(notBefore), Date.from(notAfter),
          subject, subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
      if (ca) {
        builder.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      }
      if (usage != null) {
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
      }
      if (altNames != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, altNames);
      }
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder(issuerKeys.getPrivate().getAlgorithm().equals("RSA")
              ? "SHA256withRSA" : "SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("test certificate cannot be made", e);
    }
  }

  /** A key and its certificate, issued by {@code issuer}. */
  public record Identity(KeyPair keys, X509Certificate certificate, X509Certificate issuer) {

    public String cn() {
      return certificate.getSubjectX500Principal().getName().substring("CN=".length());
    }

    public String serial() {
      return Fingerprints.serialHex(certificate.getSerialNumber());
    }

    /** The registry record the CA would write for this certificate. */
    public CertificateRecord record() {
      return new CertificateRecord(cn(), serial(), Fingerprints.of(certificate),
          Fingerprints.of(keys.getPublic()), certificate.getNotBefore().toInstant(),
          certificate.getNotAfter().toInstant(), CertificateStatus.ACTIVE, Instant.now(),
          Pem.certificate(certificate));
    }
  }

  public record ServerFiles(Path cert, Path key, Path caCert) {
  }
}
