package dev.zerotouch.registry;

import java.time.Instant;

/**
 * The value under {@code certs/<serial>}. {@code serial} is lowercase hex without leading
 * zeros; {@code fingerprint} the lowercase hex SHA-256 of the DER certificate;
 * {@code publicKeyFingerprint} that of the DER SubjectPublicKeyInfo.
 */
public record CertificateRecord(
    String cn,
    String serial,
    String fingerprint,
    String publicKeyFingerprint,
    Instant notBefore,
    Instant notAfter,
    CertificateStatus status,
    Instant issuedAt,
    String pem) {

  public CertificateRecord withStatus(CertificateStatus newStatus) {
    return new CertificateRecord(cn, serial, fingerprint, publicKeyFingerprint, notBefore,
        notAfter, newStatus, issuedAt, pem);
  }
}
