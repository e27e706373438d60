package dev.zerotouch.protocol.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away certificate authority for tests, made with Bouncy Castle in memory. */
final class TestPki {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keyPair;
  private final X509Certificate certificate;

  private TestPki(KeyPair keyPair, X509Certificate certificate) {
    this.keyPair = keyPair;
    this.certificate = certificate;
  }

  /** A key and the certificate issued for it. */
  record Issued(KeyPair keyPair, X509Certificate certificate) {
  }

  /** A new self-signed CA with an EC P-256 key. */
  static TestPki ca(String name) {
    KeyPair keyPair = KeyType.EC_P256.generate();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder builder = builder(subject, subject, keyPair);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestPki(keyPair, sign(builder, keyPair));
    } catch (Exception e) {
      throw new IllegalStateException("test CA cannot be made", e);
    }
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** A TLS client certificate with subject CN={@code commonName}. */
  Issued client(String commonName, KeyType keyType) {
    return issue(commonName, keyType, KeyPurposeId.id_kp_clientAuth, null);
  }

  /** A TLS server certificate naming {@code dnsName} in its subject alternative names. */
  Issued server(String dnsName) {
    return issue(dnsName, KeyType.EC_P256, KeyPurposeId.id_kp_serverAuth, dnsName);
  }

  private Issued issue(String commonName, KeyType keyType, KeyPurposeId purpose, String dnsName) {
    KeyPair subjectKeys = keyType.generate();
    X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder =
        builder(issuer, new X500Name("CN=" + commonName), subjectKeys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (dnsName != null) {
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
      }
      return new Issued(subjectKeys, sign(builder, keyPair));
    } catch (Exception e) {
      throw new IllegalStateException("test certificate cannot be issued", e);
    }
  }

  /** What a test may change in a client certificate: the extensions, validity and algorithm. */
  interface Customizer {
    void addExtensions(X509v3CertificateBuilder builder) throws Exception;
  }

  /**
   * A client certificate for an EC P-256 key, valid from {@code notBefore} to
   * {@code notAfter}, signed with {@code algorithm}, with only the extensions
   * {@code extensions} adds.
   */
  Issued custom(String commonName, Instant notBefore, Instant notAfter, String algorithm,
      Customizer extensions) {
    KeyPair subjectKeys = KeyType.EC_P256.generate();
    X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
        new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(notBefore),
        Date.from(notAfter), new X500Name("CN=" + commonName), subjectKeys.getPublic());
    try {
      extensions.addExtensions(builder);
      return new Issued(subjectKeys, new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(algorithm).build(keyPair.getPrivate()))));
    } catch (Exception e) {
      throw new IllegalStateException("test certificate cannot be issued", e);
    }
  }

  /** An intermediate CA issued by this one, with the name {@code name}. */
  TestPki intermediate(String name) {
    KeyPair subjectKeys = KeyType.EC_P256.generate();
    X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder = builder(issuer, new X500Name("CN=" + name), subjectKeys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestPki(subjectKeys, sign(builder, keyPair));
    } catch (Exception e) {
      throw new IllegalStateException("test intermediate CA cannot be made", e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject,
      KeyPair subjectKeys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))),
        subject, subjectKeys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }
}
