package dev.zerotouch.ca.signing;

import dev.zerotouch.registry.CertificateRecord;
import dev.zerotouch.registry.CertificateStatus;
import java.time.Instant;

/**
 * A certificate the CA has signed but not yet recorded. {@code serial} is lowercase hex
 * without leading zeros, {@code fingerprint} the SHA-256 of the DER certificate and
 * {@code publicKeyFingerprint} that of its SubjectPublicKeyInfo, both lowercase hex.
 */
public record SignedCertificate(
    String cn,
    String serial,
    String keyType,
    String pem,
    String fingerprint,
    String publicKeyFingerprint,
    Instant notBefore,
    Instant notAfter) {
  /** The registry record of this certificate as the active one for its CN. */
  public CertificateRecord toRecord(Instant issuedAt) {
    return new CertificateRecord(cn, serial, fingerprint, publicKeyFingerprint, notBefore,
        notAfter, CertificateStatus.ACTIVE, issuedAt, pem);
  }
}
