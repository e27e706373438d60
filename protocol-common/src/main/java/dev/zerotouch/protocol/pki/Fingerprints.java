package dev.zerotouch.protocol.pki;

import java.security.PublicKey;
import java.security.cert.X509Certificate;

/** Lowercase hex SHA-256 fingerprints, as the registry stores them. */
public final class Fingerprints {

  private Fingerprints() {
  }

  public static String sha256Hex(byte[] bytes) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** SHA-256 of the DER certificate. */
  public static String of(X509Certificate certificate) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** SHA-256 of the DER SubjectPublicKeyInfo. */
  public static String of(PublicKey publicKey) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Lowercase hex without leading zeros, as certificate serials are written in the registry. */
  public static String serialHex(java.math.BigInteger serial) {
    throw new UnsupportedOperationException("skeleton");
  }
}
