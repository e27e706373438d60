package dev.zerotouch.ca.signing;

import dev.zerotouch.ca.CaErrorCode;
import dev.zerotouch.ca.CaException;
import dev.zerotouch.ca.pki.Providers;
import dev.zerotouch.protocol.identity.DeviceIds;
import dev.zerotouch.protocol.pki.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Decides whether a CSR may be signed. The checks run cheapest first, so that a hostile CSR
 * costs no more than a normal one: PEM and DER structure, then the key's algorithm and size
 * read from the encoded key (no arithmetic), then the subject's Common Name, and only then the
 * signature, which is the one expensive step and by then runs on a key of bounded size.
 *
 * <p>Accepted keys: RSA with a 2048 to 4096-bit modulus and a public exponent of at most 32
 * bits, and EC on the named curves P-256 and P-384 (explicit curve parameters are refused).
 * Accepted signatures: RSA PKCS#1 v1.5 or PSS with SHA-256/384/512, ECDSA with SHA-256/384/512.
 * Extensions the CSR requests are not looked at: the CA decides every extension itself.
 */
public final class CsrPolicy {
  public static final int MIN_RSA_BITS = 2048;
  public static final int MAX_RSA_BITS = 4096;
  public static final int MAX_RSA_EXPONENT_BITS = 32;

  private static final Map<ASN1ObjectIdentifier, String> EC_CURVES = Map.of(
      SECObjectIdentifiers.secp256r1, "ec256",
      SECObjectIdentifiers.secp384r1, "ec384");

  private static final Set<ASN1ObjectIdentifier> RSA_SIGNATURES = Set.of(
      PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
      PKCSObjectIdentifiers.sha512WithRSAEncryption, PKCSObjectIdentifiers.id_RSASSA_PSS);

  private static final Set<ASN1ObjectIdentifier> EC_SIGNATURES = Set.of(
      X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
      X9ObjectIdentifiers.ecdsa_with_SHA512);

  private static final String CN_RULE = "a device id is 1 to " + DeviceIds.MAX_LENGTH
      + " letters, digits, '.', '_' or '-', starting with a letter or a digit";

  /** Parses and checks one CSR in PEM; throws {@link CaException} with the refusal code. */
  public ValidatedCsr check(String csrPem) {
    PKCS10CertificationRequest csr = parse(csrPem);

    SubjectPublicKeyInfo key = csr.getSubjectPublicKeyInfo();
    String keyType = keyType(key);
    String cn = commonName(csr);

    verifySignature(csr, keyType);
    return new ValidatedCsr(cn, key, keyType);
  }

  private static PKCS10CertificationRequest parse(String csrPem) {
    if (!csrPem.contains("-----BEGIN CERTIFICATE REQUEST-----")) {
      throw new CaException(CaErrorCode.MALFORMED_CSR, "csr_pem holds no PEM block "
          + "'-----BEGIN CERTIFICATE REQUEST-----'; send one PKCS#10 CSR in PEM");
    }
    try {
      PKCS10CertificationRequest csr = Pem.readCsr(csrPem);
      csr.getSubjectPublicKeyInfo().getAlgorithm();
      return csr;
    } catch (RuntimeException e) {
      throw new CaException(CaErrorCode.MALFORMED_CSR, "csr_pem is not one well-formed "
          + "PKCS#10 CSR in PEM (" + e.getMessage() + ")", e);
    }
  }

  private static String keyType(SubjectPublicKeyInfo key) {
    ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
    if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
      return rsaKeyType(key);
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      return ecKeyType(key);
    }
    throw new CaException(CaErrorCode.UNSUPPORTED_KEY, "the CSR's key algorithm ("
        + algorithm.getId() + ") is not accepted; use RSA 2048-4096 or EC P-256/P-384");
  }

  private static String rsaKeyType(SubjectPublicKeyInfo key) {
    RSAPublicKey rsa;
    try {
      rsa = RSAPublicKey.getInstance(key.parsePublicKey());
    } catch (IOException | RuntimeException e) {
      throw new CaException(CaErrorCode.MALFORMED_CSR, "the CSR's RSA public key is not "
          + "well-formed DER", e);
    }

    int bits = rsa.getModulus().bitLength();
    if (bits < MIN_RSA_BITS) {
      throw new CaException(CaErrorCode.KEY_TOO_SMALL, "the CSR's RSA key has " + bits
          + " bits; use at least " + MIN_RSA_BITS);
    }
    if (bits > MAX_RSA_BITS) {
      throw new CaException(CaErrorCode.KEY_TOO_LARGE, "the CSR's RSA key has " + bits
          + " bits; use at most " + MAX_RSA_BITS);
    }

    BigInteger exponent = rsa.getPublicExponent();
    if (exponent.bitLength() > MAX_RSA_EXPONENT_BITS || !exponent.testBit(0)
        || exponent.compareTo(BigInteger.valueOf(3)) < 0) {
      throw new CaException(CaErrorCode.UNSUPPORTED_KEY, "the CSR's RSA public exponent is "
          + "not accepted; use 65537");
    }
    return "rsa" + bits;
  }

  private static String ecKeyType(SubjectPublicKeyInfo key) {
    ASN1Encodable parameters = key.getAlgorithm().getParameters();
    if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
      throw new CaException(CaErrorCode.UNSUPPORTED_KEY, "the CSR's EC key gives explicit "
          + "curve parameters instead of a named curve; use the named curve P-256 or P-384");
    }
    String keyType = EC_CURVES.get(curve);
    if (keyType == null) {
      throw new CaException(CaErrorCode.UNSUPPORTED_KEY, "the CSR's EC curve ("
          + curve.getId() + ") is not accepted; use P-256 (" + SECObjectIdentifiers.secp256r1
          + ") or P-384 (" + SECObjectIdentifiers.secp384r1 + ")");
    }
    return keyType;
  }

  private static String commonName(PKCS10CertificationRequest csr) {
    RDN[] rdns;
    try {
      rdns = csr.getSubject().getRDNs(BCStyle.CN);
    } catch (RuntimeException e) {
      throw new CaException(CaErrorCode.MALFORMED_CSR, "the CSR's subject is not well-formed",
          e);
    }
    if (rdns.length == 0) {
      throw new CaException(CaErrorCode.MISSING_CN, "the CSR's subject has no Common Name; "
          + "put the device id in CN (" + CN_RULE + ")");
    }
    if (rdns.length > 1 || rdns[0].isMultiValued()) {
      throw new CaException(CaErrorCode.INVALID_CN, "the CSR's subject has more than one "
          + "Common Name; give exactly one, the device id");
    }

    ASN1Encodable value = rdns[0].getFirst().getValue();
    String cn = value instanceof ASN1String text ? text.getString() : null;
    if (cn == null || !DeviceIds.isValid(cn)) {
      throw new CaException(CaErrorCode.INVALID_CN, "the CSR's Common Name is not a valid "
          + "device id; " + CN_RULE);
    }
    return cn;
  }

  /**
   * RSA PKCS#1 v1.5 signatures (what devices send) are verified by the JDK: Bouncy Castle runs
   * Miller-Rabin rounds on every RSA modulus it has not seen recently, each as costly as an
   * RSA private-key operation, which made a CSR cost several milliseconds; the JDK verifies
   * RSA-2048 at ~23,000/s. RSA-PSS (whose parameters only Bouncy Castle reads here) and ECDSA
   * (ten times faster than SunEC) are verified by Bouncy Castle.
   */
  private static JcaContentVerifierProviderBuilder verifierBuilder(String keyType,
      ASN1ObjectIdentifier algorithm) {
    JcaContentVerifierProviderBuilder builder = new JcaContentVerifierProviderBuilder();
    boolean pkcs1 = keyType.startsWith("rsa")
        && !PKCSObjectIdentifiers.id_RSASSA_PSS.equals(algorithm);
    return pkcs1 ? builder : builder.setProvider(Providers.BOUNCY_CASTLE);
  }

  private static void verifySignature(PKCS10CertificationRequest csr, String keyType) {
    ASN1ObjectIdentifier algorithm = csr.getSignatureAlgorithm().getAlgorithm();
    Set<ASN1ObjectIdentifier> accepted = keyType.startsWith("rsa")
        ? RSA_SIGNATURES : EC_SIGNATURES;
    if (!accepted.contains(algorithm)) {
      throw new CaException(CaErrorCode.BAD_SIGNATURE, "the CSR is signed with algorithm "
          + algorithm.getId() + ", which is not accepted for a " + keyType + " key; sign it "
          + "with SHA-256 or stronger");
    }

    boolean valid;
    try {
      valid = csr.isSignatureValid(verifierBuilder(keyType, algorithm).build(
          csr.getSubjectPublicKeyInfo()));
    } catch (OperatorCreationException | PKCSException | RuntimeException e) {
      valid = false;
    }
    if (!valid) {
      throw new CaException(CaErrorCode.BAD_SIGNATURE, "the CSR's signature does not verify "
          + "with its own public key; build the CSR again with the device's key");
    }
  }
}
