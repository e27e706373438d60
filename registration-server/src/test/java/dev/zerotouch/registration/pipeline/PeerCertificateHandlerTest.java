package dev.zerotouch.registration.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.registration.testing.TestPki;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

/**
 * The checks made after the handshake, which must hold even where the TLS stack does not make
 * them (JSSE and OpenSSL do not always check a client certificate's extended key usage).
 */
class PeerCertificateHandlerTest {

  private static final TestPki PKI = TestPki.create("Unit CA");
  private static final Instant NOW = Instant.now();

  @Test
  void validClientAuthCertificateWithDeviceIdCnIsAccepted() {
    TestPki.Identity device = PKI.device("device-1");

    assertThat(PeerCertificateHandler.refusalOf(device.certificate())).isEmpty();
    assertThat(PeerCertificateHandler.commonName(device.certificate())).contains("device-1");
  }

  @Test
  void certificateWithServerAuthOnlyIsRefusedForMissingClientAuth() {
    TestPki.Identity device = PKI.device("device-2", TestPki.newKeyPair(),
        NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(1)),
        KeyPurposeId.id_kp_serverAuth);

    assertThat(PeerCertificateHandler.refusalOf(device.certificate()))
        .contains("client certificate lacks extended key usage clientAuth");
  }

  @Test
  void certificateWithoutExtendedKeyUsageIsRefused() {
    TestPki.Identity device = PKI.device("device-3", TestPki.newKeyPair(),
        NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(1)), null);

    assertThat(PeerCertificateHandler.refusalOf(device.certificate()))
        .contains("client certificate lacks extended key usage clientAuth");
  }

  @Test
  void expiredAndNotYetValidCertificatesAreRefused() {
    TestPki.Identity expired = PKI.device("device-4", TestPki.newKeyPair(),
        NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)),
        KeyPurposeId.id_kp_clientAuth);
    TestPki.Identity early = PKI.device("device-5", TestPki.newKeyPair(),
        NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2)),
        KeyPurposeId.id_kp_clientAuth);

    assertThat(PeerCertificateHandler.refusalOf(expired.certificate()))
        .contains("client certificate is outside its validity period");
    assertThat(PeerCertificateHandler.refusalOf(early.certificate()))
        .contains("client certificate is outside its validity period");
  }

  @Test
  void commonNameThatIsNoDeviceIdIsRefused() {
    TestPki.Identity device = PKI.device("bad name!");

    assertThat(PeerCertificateHandler.refusalOf(device.certificate()))
        .contains("client certificate CN is not a valid device id");
  }
}
