package dev.zerotouch.registry;

import static dev.zerotouch.registry.TestCertificates.certificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Inputs that break the documented formats are refused before anything reaches etcd (the
 * endpoint here has no etcd behind it), with a message naming the value and the rule.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InputValidationTest {

  private static final RegistryConfig NOWHERE = new RegistryConfig(
      List.of("http://127.0.0.1:1"), "/validation/", Duration.ofSeconds(2));

  private Registry registry;

  @BeforeEach
  void connect() {
    registry = EtcdRegistry.connect(NOWHERE);
  }

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void aCnThatIsNotADeviceIdIsRefused() {
    CertificateRecord valid = certificate("ok");
    for (String cn : List.of("", "a/b", "-lead", ".hidden", "x".repeat(65), "sp ace")) {
      CertificateRecord bad = new CertificateRecord(cn, valid.serial(), valid.fingerprint(),
          valid.publicKeyFingerprint(), valid.notBefore(), valid.notAfter(), valid.status(),
          valid.issuedAt(), valid.pem());

      assertThatThrownBy(() -> registry.issue(bad)).as("cn %s", cn)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a device id");
    }
  }

  @Test
  void aSerialThatIsNotLowercaseHexWithoutLeadingZerosIsRefused() {
    CertificateRecord valid = certificate("ok");
    for (String serial : List.of("0abc", "ABC", "xyz", "", "1".repeat(65))) {
      CertificateRecord bad = new CertificateRecord(valid.cn(), serial, valid.fingerprint(),
          valid.publicKeyFingerprint(), valid.notBefore(), valid.notAfter(), valid.status(),
          valid.issuedAt(), valid.pem());

      assertThatThrownBy(() -> registry.issue(bad)).as("serial %s", serial)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("serial '" + serial + "'");
    }
  }

  @Test
  void aRecordWithABadFingerprintStatusValidityOrPemIsRefused() {
    CertificateRecord v = certificate("ok");

    assertRefused(new CertificateRecord(v.cn(), v.serial(), "ABCD", v.publicKeyFingerprint(),
        v.notBefore(), v.notAfter(), v.status(), v.issuedAt(), v.pem()), "fingerprint 'ABCD'");
    assertRefused(new CertificateRecord(v.cn(), v.serial(), v.fingerprint(), null,
        v.notBefore(), v.notAfter(), v.status(), v.issuedAt(), v.pem()),
        "publicKeyFingerprint 'null'");
    assertRefused(v.withStatus(CertificateStatus.REVOKED), "expected ACTIVE");
    assertRefused(new CertificateRecord(v.cn(), v.serial(), v.fingerprint(),
        v.publicKeyFingerprint(), v.notAfter(), v.notBefore(), v.status(), v.issuedAt(),
        v.pem()), "not a validity period");
    assertRefused(new CertificateRecord(v.cn(), v.serial(), v.fingerprint(),
        v.publicKeyFingerprint(), v.notBefore(), v.notAfter(), v.status(), v.issuedAt(),
        "not a pem"), "not a PEM certificate");
  }

  @Test
  void aBatchWithOneBadRecordIsRefusedAsAWhole() {
    CertificateRecord good = certificate("fine");
    CertificateRecord bad = certificate("a/b");

    assertThatThrownBy(() -> registry.issueAll(List.of(good, bad)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/b'");
  }

  @Test
  void writesOfMalformedNamesAreRefused() {
    assertThatThrownBy(() -> registry.recordLastSeen(Map.of("../x", Instant.now())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../x'");
    assertThatThrownBy(() -> registry.revoke("XYZ"))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(RegistryErrorCode.CERTIFICATE_UNKNOWN));
    assertThatThrownBy(() -> registry.register("0bad", "f", "r", Map.of(), Instant.now()))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(RegistryErrorCode.CERTIFICATE_UNKNOWN));
  }

  @Test
  void aConfigWithoutEndpointsOrWithABadEndpointOrTimeoutIsRefused() {
    assertThatThrownBy(() -> EtcdRegistry.connect(new RegistryConfig(List.of(), "/p/",
        Duration.ofSeconds(1)))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoints is empty");
    assertThatThrownBy(() -> EtcdRegistry.connect(new RegistryConfig(
        List.of("127.0.0.1:2379"), "/p/", Duration.ofSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("etcd endpoint '127.0.0.1:2379'");
    assertThatThrownBy(() -> EtcdRegistry.connect(new RegistryConfig(
        List.of("http://127.0.0.1:2379"), "/p/", Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callTimeout PT0S");
    assertThatThrownBy(() -> EtcdRegistry.connect(new RegistryConfig(
        List.of("http://127.0.0.1:2379"), " ", Duration.ofSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
  }

  @Test
  void thePrefixIsNormalisedToEndInOneSlash() {
    assertThat(Keys.normalise("/zerotouch")).isEqualTo("/zerotouch/");
    assertThat(Keys.normalise("/zerotouch//")).isEqualTo("/zerotouch/");
    assertThat(Keys.normalise("/")).isEqualTo("/");
  }

  private void assertRefused(CertificateRecord record, String message) {
    assertThatThrownBy(() -> registry.issue(record))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }
}
