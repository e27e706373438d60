package dev.zerotouch.ca.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.ca.CaErrorCode;
import dev.zerotouch.ca.CaException;
import dev.zerotouch.ca.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CsrPolicyTest {
  private static KeyPair rsa2048;
  private static KeyPair ec256;

  private final CsrPolicy policy = new CsrPolicy();

  @BeforeAll
  static void keys() {
    rsa2048 = TestPki.rsa(2048);
    ec256 = TestPki.ec("secp256r1");
  }

  @Test
  void rsa2048CsrWithValidCnIsAccepted() throws Exception {
    ValidatedCsr csr = policy.check(TestPki.csr(rsa2048, "CN=dev-000001"));

    assertThat(csr.cn()).isEqualTo("dev-000001");
    assertThat(csr.keyType()).isEqualTo("rsa2048");
    assertThat(csr.publicKey().getEncoded()).isEqualTo(rsa2048.getPublic().getEncoded());
  }

  @Test
  void ecP256AndP384CsrsAreAccepted() {
    KeyPair ec384 = TestPki.ec("secp384r1");

    assertThat(policy.check(TestPki.csr(ec256, "CN=dev-ec")).keyType()).isEqualTo("ec256");
    assertThat(policy.check(TestPki.csr(ec384, "O=acme,CN=dev-ec384")).keyType())
        .isEqualTo("ec384");
  }

  @Test
  void rsaPssSignedCsrIsAccepted() {
    ValidatedCsr csr = policy.check(TestPki.csr(rsa2048, "CN=dev-pss", "SHA256withRSAandMGF1"));

    assertThat(csr.keyType()).isEqualTo("rsa2048");
  }

  @Test
  void textThatIsNotPemIsMalformedCsr() {
    assertRefused("hello", CaErrorCode.MALFORMED_CSR);
  }

  @Test
  void pemBlockWithGarbageInsideIsMalformedCsr() {
    String pem = "-----BEGIN CERTIFICATE REQUEST-----\nTm90IGEgQ1NSIGF0IGFsbA==\n"
        + "-----END CERTIFICATE REQUEST-----\n";

    assertRefused(pem, CaErrorCode.MALFORMED_CSR);
  }

  @Test
  void rsa1024KeyIsTooSmall() {
    assertRefused(TestPki.csr(TestPki.rsa(1024), "CN=dev-small"), CaErrorCode.KEY_TOO_SMALL);
  }

  @Test
  void rsaKeyAbove4096BitsIsTooLarge() throws Exception {
    String csr = TestPki.csrWithKey(rsaKey(4104), ec256, "CN=dev-large");

    assertRefused(csr, CaErrorCode.KEY_TOO_LARGE);
  }

  @Test
  void hostile16kBitRsaKeyIsRefusedBeforeAnyRsaArithmetic() throws Exception {
    String csr = TestPki.csrWithKey(rsaKey(16384), ec256, "CN=dev-hostile");
    policy.check(TestPki.csr(ec256, "CN=dev-warm"));

    long start = System.nanoTime();
    assertRefused(csr, CaErrorCode.KEY_TOO_LARGE);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(millis).as("refusal time in ms").isLessThan(50);
  }

  @Test
  void rsaKeyWithHugePublicExponentIsUnsupported() throws Exception {
    SubjectPublicKeyInfo key = new SubjectPublicKeyInfo(
        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
        new RSAPublicKey(new BigInteger(2048, new SecureRandom()).setBit(2047).setBit(0),
            BigInteger.ONE.shiftLeft(1000).add(BigInteger.ONE)));

    assertRefused(TestPki.csrWithKey(key, ec256, "CN=dev-exp"), CaErrorCode.UNSUPPORTED_KEY);
  }

  @Test
  void ecKeyOnSecp256k1IsUnsupported() {
    assertRefused(TestPki.csr(TestPki.ec("secp256k1"), "CN=dev-k1"),
        CaErrorCode.UNSUPPORTED_KEY);
  }

  @Test
  void ecKeyOnP521IsUnsupported() {
    assertRefused(TestPki.csr(TestPki.ec("secp521r1"), "CN=dev-521"),
        CaErrorCode.UNSUPPORTED_KEY);
  }

  @Test
  void ecKeyWithExplicitCurveParametersIsUnsupported() {
    X9ECParameters explicit = ECNamedCurveTable.getByName("secp256r1");
    byte[] point = SubjectPublicKeyInfo.getInstance(ec256.getPublic().getEncoded())
        .getPublicKeyData().getBytes();
    SubjectPublicKeyInfo key = new SubjectPublicKeyInfo(
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, explicit), point);

    assertThat(ec256.getPublic()).isInstanceOf(ECPublicKey.class);
    assertRefused(TestPki.csrWithKey(key, ec256, "CN=dev-explicit"),
        CaErrorCode.UNSUPPORTED_KEY);
  }

  @Test
  void ed25519KeyIsUnsupported() throws Exception {
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    SubjectPublicKeyInfo key = SubjectPublicKeyInfo.getInstance(ed.getPublic().getEncoded());

    assertRefused(TestPki.csrWithKey(key, ec256, "CN=dev-ed"), CaErrorCode.UNSUPPORTED_KEY);
  }

  @Test
  void subjectWithoutCnIsMissingCn() {
    assertRefused(TestPki.csr(ec256, "O=acme,OU=devices"), CaErrorCode.MISSING_CN);
  }

  @Test
  void subjectWithTwoCnsIsInvalidCn() {
    assertRefused(TestPki.csr(ec256, "CN=dev-a,CN=dev-b"), CaErrorCode.INVALID_CN);
  }

  @Test
  void cnWithSlashOrSpaceIsInvalidCn() {
    assertRefused(TestPki.csr(ec256, "CN=../etc/passwd"), CaErrorCode.INVALID_CN);
    assertRefused(TestPki.csr(ec256, "CN=dev one"), CaErrorCode.INVALID_CN);
  }

  @Test
  void cnLongerThan64CharactersIsInvalidCn() {
    X500Name subject = new X500Name(new RDN[] {
        new RDN(BCStyle.CN, new DERUTF8String("a".repeat(65)))});

    assertRefused(TestPki.csr(ec256, subject), CaErrorCode.INVALID_CN);
  }

  @Test
  void csrSignedByAnotherKeyHasBadSignature() {
    String csr = TestPki.csrSignedByOther(rsa2048, TestPki.rsa(2048), "CN=dev-forged");

    assertRefused(csr, CaErrorCode.BAD_SIGNATURE);
  }

  @Test
  void csrSignedWithSha1HasBadSignature() {
    assertRefused(TestPki.csr(rsa2048, "CN=dev-sha1", "SHA1withRSA"),
        CaErrorCode.BAD_SIGNATURE);
  }

  private void assertRefused(String csrPem, CaErrorCode code) {
    assertThatThrownBy(() -> policy.check(csrPem))
        .isInstanceOfSatisfying(CaException.class, e -> {
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.getMessage()).isNotBlank();
        });
  }

  private static SubjectPublicKeyInfo rsaKey(int bits) throws Exception {
    BigInteger modulus = new BigInteger(bits, new SecureRandom()).setBit(bits - 1).setBit(0);
    return new SubjectPublicKeyInfo(
        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
        new RSAPublicKey(modulus, BigInteger.valueOf(65537)));
  }
}
