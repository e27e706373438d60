package dev.zerotouch.ca.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.ca.TestPki;
import dev.zerotouch.ca.pki.CaCredentials;
import dev.zerotouch.ca.pki.CaKeyType;
import dev.zerotouch.protocol.pki.Fingerprints;
import dev.zerotouch.protocol.pki.Pem;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateSignerTest {
  @TempDir
  static Path pki;

  private static CaCredentials ca;
  private static KeyPair rsa;
  private static KeyPair ec;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
  private final CsrPolicy policy = new CsrPolicy();

  @BeforeAll
  static void setUp() {
    ca = TestPki.ca(pki, CaKeyType.EC256);
    rsa = TestPki.rsa(2048);
    ec = TestPki.ec("secp256r1");
  }

  @Test
  void issuedCertificateVerifiesAgainstTheCaAndNamesOnlyTheDevice() throws Exception {
    SignedCertificate signed = sign(TestPki.csr(rsa, "O=acme,CN=dev-42"), Duration.ofDays(365));
    X509Certificate certificate = Pem.readCertificate(signed.pem());

    certificate.verify(ca.caCertificate().getPublicKey());
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=dev-42");
    assertThat(certificate.getIssuerX500Principal())
        .isEqualTo(ca.caCertificate().getSubjectX500Principal());
    assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(rsa.getPublic().getEncoded());
    assertThat(signed.cn()).isEqualTo("dev-42");
    assertThat(signed.keyType()).isEqualTo("rsa2048");
    assertThat(signed.fingerprint()).isEqualTo(Fingerprints.of(certificate));
    assertThat(signed.publicKeyFingerprint()).isEqualTo(Fingerprints.of(rsa.getPublic()));
  }

  @Test
  void rsaCertificateCarriesExactlyTheProfileExtensions() throws Exception {
    X509Certificate certificate = Pem.readCertificate(sign(TestPki.csr(rsa, "CN=dev-rsa"),
        Duration.ofDays(1)).pem());

    assertThat(certificate.getCriticalExtensionOIDs()).containsExactlyInAnyOrder(
        Extension.basicConstraints.getId(), Extension.keyUsage.getId());
    assertThat(certificate.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder(
        Extension.extendedKeyUsage.getId(), Extension.subjectKeyIdentifier.getId(),
        Extension.authorityKeyIdentifier.getId());
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(certificate.getKeyUsage()).containsExactly(true, false, true, false, false,
        false, false, false, false);
    assertThat(certificate.getExtendedKeyUsage())
        .containsExactly(KeyPurposeId.id_kp_clientAuth.getId());
  }

  @Test
  void ecCertificateHasDigitalSignatureWithoutKeyEncipherment() throws Exception {
    X509Certificate certificate = Pem.readCertificate(sign(TestPki.csr(ec, "CN=dev-ec"),
        Duration.ofDays(1)).pem());

    assertThat(certificate.getKeyUsage()).containsExactly(true, false, false, false, false,
        false, false, false, false);
  }

  @Test
  void keyIdentifiersLinkTheCertificateToItsKeyAndTheCa() throws Exception {
    X509Certificate certificate = Pem.readCertificate(sign(TestPki.csr(ec, "CN=dev-ids"),
        Duration.ofDays(1)).pem());
    var holder = new JcaX509CertificateHolder(certificate);
    var caHolder = new JcaX509CertificateHolder(ca.caCertificate());

    byte[] authorityKeyId = org.bouncycastle.asn1.x509.AuthorityKeyIdentifier
        .fromExtensions(holder.getExtensions()).getKeyIdentifier();
    byte[] caKeyId = SubjectKeyIdentifier.fromExtensions(caHolder.getExtensions())
        .getKeyIdentifier();

    assertThat(authorityKeyId).isEqualTo(caKeyId);
    assertThat(SubjectKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifier())
        .hasSize(20);
  }

  @Test
  void csrAskingForCaTrueAndSanGetsOnlyTheProfile() throws Exception {
    X509Certificate certificate = Pem.readCertificate(sign(TestPki.csrAskingForCa(ec,
        "CN=dev-wants-ca"), Duration.ofDays(1)).pem());

    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(certificate.getSubjectAlternativeNames()).isNull();
    assertThat(certificate.getExtensionValue(Extension.subjectAlternativeName.getId())).isNull();
  }

  @Test
  void validityStartsFiveMinutesAgoAndLastsTheConfiguredTime() throws Exception {
    X509Certificate certificate = Pem.readCertificate(sign(TestPki.csr(ec, "CN=dev-time"),
        Duration.ofDays(30)).pem());

    assertThat(certificate.getNotBefore().toInstant()).isEqualTo(now.minus(Duration
        .ofMinutes(5)));
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(30)));
  }

  @Test
  void validityNeverExtendsBeyondTheCaCertificate() throws Exception {
    SignedCertificate signed = sign(TestPki.csr(ec, "CN=dev-long"), Duration.ofDays(36500));

    assertThat(signed.notAfter()).isEqualTo(ca.caCertificate().getNotAfter().toInstant());
  }

  @Test
  void serialsAreRandomPositiveAndAtLeast64Bits() {
    List<String> serials = java.util.stream.IntStream.range(0, 20)
        .mapToObj(i -> sign(TestPki.csr(ec, "CN=dev-serial"), Duration.ofDays(1)).serial())
        .toList();

    assertThat(serials).doesNotHaveDuplicates();
    assertThat(serials).allSatisfy(serial -> {
      assertThat(serial).matches("[1-9a-f][0-9a-f]*");
      assertThat(new java.math.BigInteger(serial, 16).bitLength()).isBetween(64, 127);
    });
  }

  private SignedCertificate sign(String csrPem, Duration validity) {
    return new CertificateSigner(ca, validity, clock).sign(policy.check(csrPem));
  }
}
