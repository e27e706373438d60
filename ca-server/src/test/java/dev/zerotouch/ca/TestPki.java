package dev.zerotouch.ca;

import dev.zerotouch.ca.pki.CaCredentials;
import dev.zerotouch.ca.pki.CaKeyType;
import dev.zerotouch.ca.pki.DevPki;
import dev.zerotouch.ca.pki.Providers;
import dev.zerotouch.protocol.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Test CAs, keys and CSRs, including the malformed and hostile ones the policy refuses. */
public final class TestPki {
  private TestPki() {
  }

  /** A dev PKI in {@code directory}, loaded as the CA's credentials. */
  public static CaCredentials ca(Path directory, CaKeyType type) {
    try {
      new DevPki().create(directory, type, CaKeyType.EC256, Instant.now());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return CaCredentials.load(directory.resolve(DevPki.CA_KEY),
        directory.resolve(DevPki.CA_CERT), Instant.now());
  }

  public static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BOUNCY_CASTLE);
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A CSR in PEM for {@code subject} (such as {@code CN=dev-1}), signed by its own key. */
  public static String csr(KeyPair keys, String subject) {
    return Pem.csr(build(new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
        keys.getPublic()), keys, algorithm(keys)));
  }

  /** A CSR for an already built subject (for names X500Name's parser refuses). */
  public static String csr(KeyPair keys, X500Name subject) {
    return Pem.csr(build(new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic()),
        keys, algorithm(keys)));
  }

  /** A CSR signed with an explicit signature algorithm such as {@code SHA1withRSA}. */
  public static String csr(KeyPair keys, String subject, String signatureAlgorithm) {
    return Pem.csr(build(new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
        keys.getPublic()), keys, signatureAlgorithm));
  }

  /** A CSR for {@code subject} that carries {@code keys}' public key but is signed by another. */
  public static String csrSignedByOther(KeyPair keys, KeyPair signer, String subject) {
    return Pem.csr(build(new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
        keys.getPublic()), signer, algorithm(signer)));
  }

  /** A CSR carrying an arbitrary encoded key, signed by {@code signer} (so it cannot verify). */
  public static String csrWithKey(SubjectPublicKeyInfo key, KeyPair signer, String subject) {
    return Pem.csr(build(new PKCS10CertificationRequestBuilder(new X500Name(subject), key),
        signer, algorithm(signer)));
  }

  /** A CSR that requests basicConstraints CA:true and a SAN, which the CA must not copy. */
  public static String csrAskingForCa(KeyPair keys, String subject) {
    try {
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      extensions.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, "evil.example")));
      PKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(
          new X500Name(subject), keys.getPublic())
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
              extensions.generate());
      return Pem.csr(build(builder, keys, algorithm(keys)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PKCS10CertificationRequest build(PKCS10CertificationRequestBuilder builder,
      KeyPair signer, String algorithm) {
    try {
      return builder.build(new JcaContentSignerBuilder(algorithm)
          .setProvider(Providers.BOUNCY_CASTLE).build(signer.getPrivate()));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String algorithm(KeyPair keys) {
    return keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
  }
}
