package dev.zerotouch.registry;

import io.etcd.jetcd.KeyValue;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may take a CN. The CN's current certificate decides:
 * <ul>
 *   <li>none: the CN is free;</li>
 *   <li>active, not expired, same public key: a re-issue, the current one is superseded;</li>
 *   <li>active, not expired, another key: {@link RegistryErrorCode#CN_CONFLICT};</li>
 *   <li>active but expired (its not_after is before the new one's issued_at): the CN is free
 *       again and the expired one is superseded, whatever the key;</li>
 *   <li>revoked, whatever the key: {@link RegistryErrorCode#CERTIFICATE_REVOKED}. Revoking
 *       takes the device id out of the fleet: a revoked key is taken as compromised, and a
 *       new key must not bring the same id back (whoever holds a stolen device could simply
 *       make one). The device needs a new id;</li>
 *   <li>superseded (only after a hand edit of the index): the new key takes the CN and the
 *       old record stays as it is.</li>
 * </ul>
 */
final class IssuePolicy {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private IssuePolicy() {
  }

  static void validate(CertificateRecord certificate) {
    Objects.requireNonNull(certificate, "certificate");
    Keys.requireCn(certificate.cn());
    Keys.requireSerial(certificate.serial());
    requireFingerprint("fingerprint", certificate.fingerprint());
    requireFingerprint("publicKeyFingerprint", certificate.publicKeyFingerprint());
    if (certificate.notBefore() == null || certificate.notAfter() == null
        || !certificate.notBefore().isBefore(certificate.notAfter())) {
      throw new IllegalArgumentException("notBefore " + certificate.notBefore() + " and notAfter "
          + certificate.notAfter() + " of certificate " + certificate.serial()
          + " are not a validity period (both set, notBefore first)");
    }
    if (certificate.status() != CertificateStatus.ACTIVE) {
      throw new IllegalArgumentException("status of new certificate " + certificate.serial()
          + " is " + certificate.status() + ": expected ACTIVE");
    }
    if (certificate.issuedAt() == null) {
      throw new IllegalArgumentException("issuedAt of certificate " + certificate.serial()
          + " is missing");
    }
    if (certificate.pem() == null || !certificate.pem().contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException("pem of certificate " + certificate.serial()
          + " is not a PEM certificate");
    }
  }

  /**
   * Whether {@code candidate} supersedes the CN's {@code current} certificate (true) or simply
   * takes the CN from a revoked or superseded one (false); throws when it may not take it.
   */
  static boolean supersedes(CertificateRecord candidate, CertificateRecord current) {
    boolean sameKey = candidate.publicKeyFingerprint().equals(current.publicKeyFingerprint());
    switch (current.status()) {
      case ACTIVE:
        if (sameKey || !current.notAfter().isAfter(candidate.issuedAt())) {
          return true;
        }
        throw new RegistryException(RegistryErrorCode.CN_CONFLICT, "cn " + candidate.cn()
            + " is held by active certificate " + current.serial() + " for another public key"
            + " (valid until " + current.notAfter() + "); use the key it was issued for, or"
            + " have that certificate revoked first");
      case REVOKED:
        throw new RegistryException(RegistryErrorCode.CERTIFICATE_REVOKED, "cn "
            + candidate.cn() + " was revoked (certificate " + current.serial() + ")"
            + (sameKey ? " and this public key with it" : "")
            + "; a revoked device id is never certified again: use a new device id");
      default:
        return false;
    }
  }

  /**
   * The answer when the new certificate's serial is already recorded: the same certificate,
   * still current and active, is an earlier attempt that committed (its answer was lost);
   * anything else is a serial collision, retryable with a new serial.
   */
  static IssueResult alreadyRecorded(CertificateRecord candidate, Issuer.Snapshot snapshot) {
    KeyValue entry = snapshot.sameSerial().orElseThrow();
    CertificateRecord recorded = Json.decode(entry, CertificateRecord.class);
    Optional<String> held = snapshot.cnEntry()
        .map(cnEntry -> Json.decode(cnEntry, CnRecord.class).serial());
    boolean same = recorded.fingerprint().equals(candidate.fingerprint())
        && recorded.status() == CertificateStatus.ACTIVE
        && held.equals(Optional.of(candidate.serial()));
    if (same) {
      return new IssueResult(recorded, Optional.empty());
    }
    throw new RegistryException(RegistryErrorCode.CONTENTION, "serial " + candidate.serial()
        + " is already recorded for another certificate; sign again with a new serial");
  }

  private static void requireFingerprint(String name, String value) {
    if (value == null || !SHA256_HEX.matcher(value).matches()) {
      throw new IllegalArgumentException(name + " '" + value + "' is not a lowercase hex"
          + " SHA-256 (64 digits)");
    }
  }
}
