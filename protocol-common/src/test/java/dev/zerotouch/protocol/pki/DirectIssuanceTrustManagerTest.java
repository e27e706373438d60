package dev.zerotouch.protocol.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.misc.NetscapeCertType;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.junit.jupiter.api.Test;

/**
 * The fast path accepts exactly the directly issued client certificates PKIX would accept; for
 * everything else the answer is PKIX's own, so a refusal still refuses and an intermediate
 * chain still passes.
 */
class DirectIssuanceTrustManagerTest {

  private static final Instant NOW = Instant.now();
  private static final Instant BEFORE = NOW.minus(Duration.ofHours(1));
  private static final Instant AFTER = NOW.plus(Duration.ofDays(1));

  private final TestPki ca = TestPki.ca("Fleet CA");
  private final DirectIssuanceTrustManager trust =
      new DirectIssuanceTrustManager(List.of(ca.certificate()));

  @Test
  void aClientCertificateOfTheCaTakesTheFastPathAndIsTrusted() throws Exception {
    X509Certificate device = ca.client("sensor-1", KeyType.EC_P256).certificate();
    X509Certificate rsaDevice = ca.client("sensor-2", KeyType.RSA_2048).certificate();

    assertThat(trust.directlyIssued(new X509Certificate[] {device})).isTrue();
    assertThat(trust.directlyIssued(new X509Certificate[] {rsaDevice, ca.certificate()}))
        .isTrue();
    trust.checkClientTrusted(new X509Certificate[] {device}, "EC");
  }

  @Test
  void anotherCasCertificateIsRefusedEvenUnderTheSameName() {
    X509Certificate stranger = TestPki.ca("Fleet CA").client("sensor-1", KeyType.EC_P256)
        .certificate();

    assertThat(trust.directlyIssued(new X509Certificate[] {stranger})).isFalse();
    assertRefused(stranger);
  }

  @Test
  void expiredAndNotYetValidCertificatesAreRefused() {
    X509Certificate expired = ca.custom("old-1", NOW.minus(Duration.ofDays(2)),
        NOW.minus(Duration.ofDays(1)), "SHA256withECDSA", this::clientExtensions).certificate();
    X509Certificate early = ca.custom("new-1", NOW.plus(Duration.ofDays(1)),
        NOW.plus(Duration.ofDays(2)), "SHA256withECDSA", this::clientExtensions).certificate();

    assertRefused(expired);
    assertRefused(early);
  }

  @Test
  void aCertificateForAnotherUseIsLeftToPkixWhichRefusesIt() {
    X509Certificate serverOnly = ca.custom("web-1", BEFORE, AFTER, "SHA256withECDSA", b -> {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    }).certificate();
    X509Certificate noSigning = ca.custom("enc-1", BEFORE, AFTER, "SHA256withECDSA", b ->
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyEncipherment)))
        .certificate();

    assertThat(trust.directlyIssued(new X509Certificate[] {serverOnly})).isFalse();
    assertThat(trust.directlyIssued(new X509Certificate[] {noSigning})).isFalse();
    assertRefused(serverOnly);
    assertRefused(noSigning);
  }

  @Test
  void aLeafThatIsACaOrCarriesAnUnknownCriticalExtensionIsNotOnTheFastPath() {
    X509Certificate caLeaf = ca.custom("sub-1", BEFORE, AFTER, "SHA256withECDSA", b -> {
      clientExtensions(b);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    }).certificate();
    X509Certificate unknownCritical = ca.custom("odd-1", BEFORE, AFTER, "SHA256withECDSA", b -> {
      clientExtensions(b);
      b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1"), true,
          new DEROctetString(new byte[] {1}));
    }).certificate();

    assertThat(trust.directlyIssued(new X509Certificate[] {caLeaf})).isFalse();
    assertThat(trust.directlyIssued(new X509Certificate[] {unknownCritical})).isFalse();
    assertRefused(unknownCritical);
  }

  @Test
  void aLeafWithANetscapeCertTypeIsLeftToPkix() throws Exception {
    X509Certificate netscape = ca.custom("ns-1", BEFORE, AFTER, "SHA256withECDSA", b -> {
      clientExtensions(b);
      b.addExtension(MiscObjectIdentifiers.netscapeCertType, false,
          new NetscapeCertType(NetscapeCertType.sslClient));
    }).certificate();
    X509Certificate plain = ca.custom("plain-1", BEFORE, AFTER, "SHA256withECDSA",
        this::clientExtensions).certificate();

    assertThat(trust.directlyIssued(new X509Certificate[] {netscape})).isFalse();
    assertThat(trust.directlyIssued(new X509Certificate[] {plain})).isTrue();
    trust.checkClientTrusted(new X509Certificate[] {netscape}, "EC");
  }

  @Test
  void aWeakSignatureAlgorithmIsNotOnTheFastPath() {
    X509Certificate sha1 = ca.custom("sha1-1", BEFORE, AFTER, "SHA1withECDSA",
        this::clientExtensions).certificate();

    assertThat(trust.directlyIssued(new X509Certificate[] {sha1})).isFalse();
  }

  @Test
  void aChainThroughAnIntermediateCaIsJudgedByPkix() throws Exception {
    TestPki intermediate = ca.intermediate("Fleet Issuing CA");
    X509Certificate device = intermediate.client("sensor-9", KeyType.EC_P256).certificate();
    X509Certificate[] chain = {device, intermediate.certificate()};

    assertThat(trust.directlyIssued(chain)).isFalse();
    trust.checkClientTrusted(chain, "EC");
  }

  @Test
  void anEmptyTrustListIsRefusedAtOnce() {
    assertThatThrownBy(() -> new DirectIssuanceTrustManager(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustedCas");
  }

  private void clientExtensions(X509v3CertificateBuilder builder) throws Exception {
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
  }

  private void assertRefused(X509Certificate certificate) {
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {certificate},
        "EC")).isInstanceOf(CertificateException.class);
  }
}
