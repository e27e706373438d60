package dev.zerotouch.ca.signing;

import dev.zerotouch.ca.CaErrorCode;
import dev.zerotouch.ca.CaException;
import dev.zerotouch.ca.pki.CaCredentials;
import dev.zerotouch.protocol.pki.Fingerprints;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Signs device certificates with the CA key. The profile is fixed here and nothing is copied
 * from the CSR but its public key and Common Name: subject {@code CN=<device id>} only; a
 * random positive 127-bit serial; not-before five minutes in the past (clock skew); not-after
 * the configured validity later, but never after the CA's own expiry; extensions
 * basicConstraints CA:false (critical), keyUsage digitalSignature, plus keyEncipherment for
 * RSA keys (critical), extendedKeyUsage clientAuth, subject and authority key identifiers.
 * Thread-safe.
 */
public final class CertificateSigner {
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  public static final int SERIAL_BITS = 127;

  private final CaCredentials credentials;
  private final Duration validity;
  private final Clock clock;
  private final SecureRandom random;
  private final X500Name issuer;
  private final AuthorityKeyIdentifier authorityKeyId;
  private final JcaX509ExtensionUtils extensionUtils;
  /** A ContentSigner is reusable one signature after another, but not by two threads at once. */
  private final ThreadLocal<ContentSigner> signers = ThreadLocal.withInitial(this::newSigner);

  public CertificateSigner(CaCredentials credentials, Duration validity, Clock clock) {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity " + validity + " must be positive");
    }
    this.credentials = credentials;
    this.validity = validity;
    this.clock = clock;
    this.random = new SecureRandom();
    try {
      X509CertificateHolder ca = new JcaX509CertificateHolder(credentials.caCertificate());
      this.issuer = ca.getSubject();
      this.extensionUtils = new JcaX509ExtensionUtils();
      SubjectKeyIdentifier caKeyId = SubjectKeyIdentifier.fromExtensions(ca.getExtensions());
      byte[] keyId = caKeyId != null ? caKeyId.getKeyIdentifier()
          : extensionUtils.createSubjectKeyIdentifier(ca.getSubjectPublicKeyInfo())
              .getKeyIdentifier();
      this.authorityKeyId = new AuthorityKeyIdentifier(keyId);
    } catch (CertificateException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot read the CA certificate", e);
    }
  }

  public SignedCertificate sign(ValidatedCsr csr) {
    Instant now = clock.instant();
    Instant notBefore = now.minus(CLOCK_SKEW);
    Instant caNotAfter = credentials.caCertificate().getNotAfter().toInstant();
    Instant wanted = now.plus(validity);
    Instant notAfter = wanted.isAfter(caNotAfter) ? caNotAfter : wanted;
    BigInteger serial = newSerial();

    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serial,
        Date.from(notBefore), Date.from(notAfter), subject(csr.cn()), csr.publicKey());
    X509CertificateHolder certificate;
    byte[] der;
    try {
      addExtensions(builder, csr);
      certificate = builder.build(signers.get());
      der = certificate.getEncoded();
    } catch (IOException | RuntimeException e) {
      throw new CaException(CaErrorCode.INTERNAL_ERROR, "the CA could not sign the "
          + "certificate; try again later", e);
    }

    return new SignedCertificate(csr.cn(), Fingerprints.serialHex(serial), csr.keyType(),
        pem(der), Fingerprints.sha256Hex(der), fingerprintOf(csr),
        certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
  }

  /** PEM of a DER certificate, as {@code Pem.certificate} writes it, without re-parsing it. */
  private static String pem(byte[] der) {
    StringWriter text = new StringWriter(der.length * 4 / 3 + 80);
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new PemObject("CERTIFICATE", der));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PEM to memory", e);
    }
    return text.toString();
  }

  /** SHA-256 of the DER SubjectPublicKeyInfo, as the registry's {@code cns/} index keeps it. */
  public static String fingerprintOf(ValidatedCsr csr) {
    try {
      return Fingerprints.sha256Hex(csr.publicKey().getEncoded("DER"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a parsed public key", e);
    }
  }

  private BigInteger newSerial() {
    BigInteger serial;
    do {
      serial = new BigInteger(SERIAL_BITS, random);
    } while (serial.bitLength() < 64);
    return serial;
  }

  private static X500Name subject(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
  }

  private void addExtensions(X509v3CertificateBuilder builder, ValidatedCsr csr)
      throws IOException {
    int usage = csr.rsa()
        ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
        : KeyUsage.digitalSignature;
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
    builder.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    builder.addExtension(Extension.subjectKeyIdentifier, false,
        extensionUtils.createSubjectKeyIdentifier(csr.publicKey()));
    builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId);
  }

  private ContentSigner newSigner() {
    JcaContentSignerBuilder builder = new JcaContentSignerBuilder(
        credentials.signatureAlgorithm()).setSecureRandom(random);
    if (credentials.signingProvider() != null) {
      builder.setProvider(credentials.signingProvider());
    }
    try {
      return builder.build(credentials.signingKey());
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot create a " + credentials.signatureAlgorithm()
          + " signer for the CA key", e);
    }
  }
}
