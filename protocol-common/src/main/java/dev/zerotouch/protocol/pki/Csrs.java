package dev.zerotouch.protocol.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Builds PKCS#10 requests: subject {@code CN=<deviceId>}, signed with the key itself
 * (SHA256withRSA or SHA256withECDSA), no attributes or extensions: the CA decides those.
 * The Common Name is not checked against {@link dev.zerotouch.protocol.identity.DeviceIds}
 * here, so tests can build the requests the CA must refuse; the CA enforces the rule.
 */
public final class Csrs {

  private Csrs() {
  }

  public static PKCS10CertificationRequest build(KeyPair keyPair, String commonName) {
    if (commonName == null) {
      throw new IllegalArgumentException("commonName is null, expected a device id");
    }

    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, commonName)
        .build();
    try {
      ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(keyPair))
          .build(keyPair.getPrivate());
      return new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic()).build(signer);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("CSR cannot be signed with a "
          + keyPair.getPrivate().getAlgorithm() + " key", e);
    }
  }

  /**
   * The request's public key as a JDK key (RSA or EC); throws {@link IllegalArgumentException}
   * for another algorithm or a malformed key.
   */
  public static PublicKey publicKey(PKCS10CertificationRequest csr) {
    SubjectPublicKeyInfo info = csr.getSubjectPublicKeyInfo();
    ASN1ObjectIdentifier oid = info.getAlgorithm().getAlgorithm();
    String algorithm;
    if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      algorithm = "RSA";
    } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      algorithm = "EC";
    } else {
      throw new IllegalArgumentException("CSR key algorithm " + oid + " is not RSA or EC");
    }

    try {
      return KeyFactory.getInstance(algorithm)
          .generatePublic(new X509EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("CSR public key is not a valid " + algorithm + " key: "
          + e.getMessage(), e);
    }
  }

  /** Whether the request is signed by the private key of the public key it carries. */
  public static boolean isSignatureValid(PKCS10CertificationRequest csr) {
    try {
      return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey(csr)));
    } catch (OperatorCreationException | PKCSException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String signatureAlgorithm(KeyPair keyPair) {
    String algorithm = keyPair.getPublic().getAlgorithm();
    return switch (algorithm) {
      case "RSA" -> KeyType.RSA_2048.signatureAlgorithm();
      case "EC" -> KeyType.EC_P256.signatureAlgorithm();
      default -> throw new IllegalArgumentException(
          "key algorithm " + algorithm + " is not supported, expected RSA or EC");
    };
  }
}
