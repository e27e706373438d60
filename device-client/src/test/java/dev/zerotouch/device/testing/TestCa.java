package dev.zerotouch.device.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA for unit tests that need certificates without running the CA server. */
public final class TestCa {
  private final KeyPair keyPair;
  private final X509Certificate certificate;
  private long nextSerial = 1;

  public TestCa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      this.keyPair = generator.generateKeyPair();
      this.certificate = sign(new X500Name("CN=Test CA"), keyPair.getPublic(), true);
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the test CA", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A device certificate for {@code publicKey} with {@code CN=commonName}. */
  public X509Certificate issue(String commonName, PublicKey publicKey) {
    try {
      return sign(new X500Name("CN=" + commonName), publicKey, false);
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue a test certificate", e);
    }
  }

  /** A server certificate for {@code publicKey} naming {@code dnsName} in its SAN. */
  public X509Certificate issueServer(String dnsName, PublicKey publicKey) {
    try {
      return sign(new X500Name("CN=" + dnsName), publicKey, false, dnsName);
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue a test server certificate", e);
    }
  }

  private X509Certificate sign(X500Name subject, PublicKey publicKey, boolean ca)
      throws Exception {
    return sign(subject, publicKey, ca, null);
  }

  private X509Certificate sign(X500Name subject, PublicKey publicKey, boolean ca,
      String dnsName) throws Exception {
    Instant now = Instant.now();
    X500Name issuer = ca ? subject : new X500Name("CN=Test CA");
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
        BigInteger.valueOf(nextSerial++), Date.from(now.minus(Duration.ofMinutes(1))),
        Date.from(now.plus(Duration.ofDays(1))), subject, publicKey);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (dnsName != null) {
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
    }
    return new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
  }
}
