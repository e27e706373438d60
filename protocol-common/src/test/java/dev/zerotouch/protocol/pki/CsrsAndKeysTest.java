package dev.zerotouch.protocol.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CsrsAndKeysTest {

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void csrCarriesTheCommonNameAndAVerifyingSignature(KeyType type) throws Exception {
    KeyPair keyPair = type.generate();

    PKCS10CertificationRequest csr = Csrs.build(keyPair, "device-5f3a9c2e7b1d4e80");

    assertThat(csr.getSubject().toString()).isEqualTo("CN=device-5f3a9c2e7b1d4e80");
    assertThat(Csrs.isSignatureValid(csr)).isTrue();
    assertThat(Csrs.publicKey(csr)).isEqualTo(keyPair.getPublic());
    assertThat(csr.getAttributes()).isEmpty();
    assertThat(csr.getSignatureAlgorithm().getAlgorithm()).isEqualTo(
        type == KeyType.RSA_2048 ? PKCSObjectIdentifiers.sha256WithRSAEncryption
            : X9ObjectIdentifiers.ecdsa_with_SHA256);
  }

  @Test
  void csrSignedByAnotherKeyDoesNotVerify() throws Exception {
    KeyPair claimed = KeyType.EC_P256.generate();
    KeyPair signer = KeyType.EC_P256.generate();
    PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
        new X500Name("CN=d1"), claimed.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));

    assertThat(Csrs.isSignatureValid(csr)).isFalse();
  }

  @Test
  void keyTypesMakeTheDocumentedKeys() {
    KeyPair rsa = KeyType.RSA_2048.generate();
    KeyPair ec = KeyType.EC_P256.generate();

    assertThat(((RSAPublicKey) rsa.getPublic()).getModulus().bitLength()).isEqualTo(2048);
    assertThat(((ECPublicKey) ec.getPublic()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
  }

  @Test
  void keyTypeParsesTheCommandLineSpelling() {
    assertThat(KeyType.parse("rsa2048")).isEqualTo(KeyType.RSA_2048);
    assertThat(KeyType.parse(" EC256 ")).isEqualTo(KeyType.EC_P256);
    assertThat(KeyType.EC_P256.cliName()).isEqualTo("ec256");
    assertThatThrownBy(() -> KeyType.parse("dsa1024"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key type 'dsa1024' is not known; use rsa2048 or ec256");
  }

  @Test
  void sha256OfAKnownInputIsTheStandardVector() {
    String hex = Fingerprints.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII));

    assertThat(hex).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void publicKeyFingerprintMatchesTheOneTakenFromTheCsr() throws Exception {
    KeyPair keyPair = KeyType.EC_P256.generate();
    PKCS10CertificationRequest csr = Csrs.build(keyPair, "d1");

    String fromKey = Fingerprints.of(keyPair.getPublic());

    String fromCsr = Fingerprints.sha256Hex(csr.getSubjectPublicKeyInfo().getEncoded());
    assertThat(fromKey).isEqualTo(fromCsr).matches("[0-9a-f]{64}");
  }

  @Test
  void certificateFingerprintIsSha256OfItsDer() throws Exception {
    TestPki ca = TestPki.ca("fingerprint-ca");

    String fingerprint = Fingerprints.of(ca.certificate());

    assertThat(fingerprint).isEqualTo(Fingerprints.sha256Hex(ca.certificate().getEncoded()));
    assertThat(fingerprint).isNotEqualTo(Fingerprints.of(ca.certificate().getPublicKey()));
  }

  @Test
  void serialHexIsLowercaseWithoutLeadingZeros() {
    assertThat(Fingerprints.serialHex(new BigInteger(1, new byte[] {0x00, 0x0A, (byte) 0xBC})))
        .isEqualTo("abc");
    assertThat(Fingerprints.serialHex(BigInteger.ZERO)).isEqualTo("0");
    assertThatThrownBy(() -> Fingerprints.serialHex(BigInteger.valueOf(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
