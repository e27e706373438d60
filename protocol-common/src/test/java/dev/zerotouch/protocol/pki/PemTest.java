package dev.zerotouch.protocol.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PemTest {

  private static final String EC_PARAMETERS_P256 =
      "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";

  private static TestPki ca;
  private static TestPki.Issued leaf;

  @BeforeAll
  static void makeCertificates() {
    ca = TestPki.ca("pem-test-ca");
    leaf = ca.client("device-1", KeyType.EC_P256);
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void privateKeyRoundTripsAsPkcs8(KeyType type) {
    PrivateKey key = type.generate().getPrivate();

    String pem = Pem.privateKey(key);

    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.readPrivateKey(pem).getEncoded()).isEqualTo(key.getEncoded());
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void traditionalOpenSslKeyFormatsAreRead(KeyType type) throws Exception {
    KeyPair keyPair = type.generate();
    String traditional = traditionalPem(keyPair.getPrivate());

    PrivateKey read = Pem.readPrivateKey(traditional);

    assertThat(traditional).containsAnyOf("BEGIN RSA PRIVATE KEY", "BEGIN EC PRIVATE KEY");
    assertThat(signsFor(read, keyPair.getPublic())).isTrue();
  }

  @Test
  void sec1KeyAfterOpenSslsEcParametersBlockIsRead() throws Exception {
    PrivateKey key = KeyType.EC_P256.generate().getPrivate();

    PrivateKey read = Pem.readPrivateKey(EC_PARAMETERS_P256 + traditionalPem(key));

    assertThat(read.getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void certificateAndChainRoundTrip() {
    List<X509Certificate> chain = List.of(leaf.certificate(), ca.certificate());

    String pem = Pem.certificates(chain);

    assertThat(Pem.readCertificates(pem)).containsExactlyElementsOf(chain);
    assertThat(Pem.readCertificate(pem)).isEqualTo(leaf.certificate());
    assertThat(Pem.readCertificate(Pem.certificate(ca.certificate())))
        .isEqualTo(ca.certificate());
  }

  @Test
  void csrRoundTrips() {
    PKCS10CertificationRequest csr = Csrs.build(leaf.keyPair(), "device-1");

    String pem = Pem.csr(csr);

    assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    assertThat(Pem.readCsr(pem)).isEqualTo(csr);
  }

  @Test
  void twoCsrsAreRefused() {
    String one = Pem.csr(Csrs.build(leaf.keyPair(), "device-1"));

    assertThatThrownBy(() -> Pem.readCsr(one + one))
        .isInstanceOf(PemException.class)
        .hasMessage("expected exactly one CERTIFICATE REQUEST block, found 2 PEM blocks");
  }

  @Test
  void certificateGivenAsCsrIsRefusedNamingWhatWasFound() {
    String certificate = Pem.certificate(leaf.certificate());

    assertThatThrownBy(() -> Pem.readCsr(certificate))
        .isInstanceOf(PemException.class)
        .hasMessage("expected a CERTIFICATE REQUEST block, found a CERTIFICATE block");
  }

  @Test
  void textWithoutPemIsRefused() {
    assertThatThrownBy(() -> Pem.readCsr("hello"))
        .isInstanceOf(PemException.class)
        .hasMessage("no PEM block found; expected a certificate request");
    assertThatThrownBy(() -> Pem.readCertificates(""))
        .hasMessage("no PEM block found; expected a certificate");
    assertThatThrownBy(() -> Pem.readPrivateKey(null))
        .hasMessage("no PEM text given; expected a private key");
  }

  @Test
  void brokenBase64IsRefused() {
    String broken = "-----BEGIN CERTIFICATE REQUEST-----\n%%%not-base64%%%\n"
        + "-----END CERTIFICATE REQUEST-----\n";

    assertThatThrownBy(() -> Pem.readCsr(broken))
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("malformed PEM text");
  }

  @Test
  void missingEndLineIsRefused() {
    String pem = Pem.certificate(leaf.certificate());
    String cut = pem.substring(0, pem.indexOf("-----END"));

    assertThatThrownBy(() -> Pem.readCertificate(cut))
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("malformed PEM text");
  }

  @Test
  void validBase64ThatIsNotDerIsRefused() {
    String pem = "-----BEGIN CERTIFICATE REQUEST-----\naGVsbG8gd29ybGQ=\n"
        + "-----END CERTIFICATE REQUEST-----\n";

    assertThatThrownBy(() -> Pem.readCsr(pem))
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("CERTIFICATE REQUEST block is not a PKCS#10 request");
    assertThatThrownBy(() -> Pem.readCertificate(pem.replace("CERTIFICATE REQUEST",
        "CERTIFICATE")))
        .hasMessageStartingWith("CERTIFICATE block is not an X.509 certificate");
    assertThatThrownBy(() -> Pem.readPrivateKey(pem.replace("CERTIFICATE REQUEST",
        "PRIVATE KEY")))
        .hasMessageStartingWith("PRIVATE KEY block is not a readable private key");
  }

  @Test
  void oversizedTextIsRefusedBeforeParsing() {
    String huge = "x".repeat(Pem.MAX_PEM_CHARS + 1);

    assertThatThrownBy(() -> Pem.readCsr(huge))
        .isInstanceOf(PemException.class)
        .hasMessage("PEM text is 65537 characters, above the limit of 65536");
  }

  @Test
  void keyFileHoldingACertificateOrTwoKeysIsRefused() {
    KeyPair keys = KeyType.EC_P256.generate();
    String key = Pem.privateKey(keys.getPrivate());

    assertThatThrownBy(() -> Pem.readPrivateKey(Pem.certificate(leaf.certificate())))
        .isInstanceOf(PemException.class)
        .hasMessage("expected a PRIVATE KEY block, found a CERTIFICATE block");
    assertThatThrownBy(() -> Pem.readPrivateKey(key + key))
        .hasMessage("expected exactly one private key, found 2");
  }

  @Test
  void encryptedKeyIsRefusedWithAnExplanation() {
    String encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
        + "-----END ENCRYPTED PRIVATE KEY-----\n";

    String legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
        + "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n"
        + "-----END RSA PRIVATE KEY-----\n";

    assertThatThrownBy(() -> Pem.readPrivateKey(encrypted))
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("encrypted private keys are not supported");
    assertThatThrownBy(() -> Pem.readPrivateKey(legacy))
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("encrypted private keys are not supported");
  }

  @Test
  void certificateListWithAKeyInItIsRefused() {
    String mixed =
        Pem.certificate(leaf.certificate()) + Pem.privateKey(leaf.keyPair().getPrivate());

    assertThatThrownBy(() -> Pem.readCertificates(mixed))
        .isInstanceOf(PemException.class)
        .hasMessage("expected only CERTIFICATE blocks, found a PRIVATE KEY block");
  }

  private static boolean signsFor(PrivateKey key, PublicKey publicKey) throws Exception {
    String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();

    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(publicKey);
    verifier.update(new byte[] {1, 2, 3});
    return verifier.verify(signature);
  }

  /** PKCS#1 for RSA; SEC1 for EC with the curve inside, as OpenSSL writes it. */
  private static String traditionalPem(PrivateKey key) throws Exception {
    Object traditional = key;
    if (key instanceof ECPrivateKey ec) {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
      traditional = new PemObject("EC PRIVATE KEY",
          new org.bouncycastle.asn1.sec.ECPrivateKey(256, ec.getS(), curve).getEncoded());
    }

    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(traditional);
    }
    return text.toString();
  }
}
