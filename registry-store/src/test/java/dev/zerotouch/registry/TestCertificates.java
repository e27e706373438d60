package dev.zerotouch.registry;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/** Certificate records for tests: random serials and fingerprints, a placeholder PEM. */
final class TestCertificates {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCertificates() {
  }

  /** A new key's fingerprint. */
  static String newKey() {
    return randomHex(32);
  }

  static String newSerial() {
    return new BigInteger(64, RANDOM).setBit(63).toString(16);
  }

  static CertificateRecord certificate(String cn, String publicKey) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new CertificateRecord(cn, newSerial(), randomHex(32), publicKey,
        now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(365)),
        CertificateStatus.ACTIVE, now,
        "-----BEGIN CERTIFICATE-----\nTUlJQ...\n-----END CERTIFICATE-----\n");
  }

  static CertificateRecord certificate(String cn) {
    return certificate(cn, newKey());
  }

  private static String randomHex(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return HexFormat.of().formatHex(value);
  }
}
