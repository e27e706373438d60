package dev.zerotouch.protocol.pki;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** Lowercase hex SHA-256 fingerprints, as the registry stores them. */
public final class Fingerprints {

  private Fingerprints() {
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** SHA-256 of the DER certificate. */
  public static String of(X509Certificate certificate) {
    try {
      return sha256Hex(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate " + certificate.getSubjectX500Principal()
          + " cannot be encoded", e);
    }
  }

  /** SHA-256 of the DER SubjectPublicKeyInfo. */
  public static String of(PublicKey publicKey) {
    if (!"X.509".equals(publicKey.getFormat())) {
      throw new IllegalArgumentException("public key encodes as " + publicKey.getFormat()
          + ", expected X.509 SubjectPublicKeyInfo");
    }
    return sha256Hex(publicKey.getEncoded());
  }

  /** Lowercase hex without leading zeros, as certificate serials are written in the registry. */
  public static String serialHex(BigInteger serial) {
    if (serial.signum() < 0) {
      throw new IllegalArgumentException("serial " + serial + " is negative, expected 0 or more");
    }
    return serial.toString(16);
  }
}
