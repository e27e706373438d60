package dev.zerotouch.ca.pki;

import dev.zerotouch.ca.CaErrorCode;
import dev.zerotouch.ca.CaException;
import dev.zerotouch.protocol.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.List;

/**
 * The CA's signing key and its certificate chain (the CA certificate first), checked once at
 * start-up so that a server with unusable credentials refuses to start with a message that
 * says what to fix.
 *
 * @param signingKey the CA key, for EC keys as a Bouncy Castle key (see {@link Providers})
 * @param signatureAlgorithm the JCA name the CA signs with, such as {@code SHA256withECDSA}
 * @param chain the CA certificate followed by any intermediates above it
 * @param chainPem {@code chain} in PEM, as served at {@code /ca.pem}
 */
public record CaCredentials(PrivateKey signingKey, String signatureAlgorithm,
    List<X509Certificate> chain, String chainPem) {
  public X509Certificate caCertificate() {
    return chain.get(0);
  }

  /** The provider to sign with: Bouncy Castle for EC, the JDK's for RSA. */
  public java.security.Provider signingProvider() {
    return signingKey instanceof RSAPrivateKey ? null : Providers.BOUNCY_CASTLE;
  }

  /**
   * Loads and checks the key and chain. Refuses (with {@link CaErrorCode#CA_CREDENTIALS}) when
   * a file is missing, the key file is open to group or others, either does not parse, the
   * certificate is not a CA certificate or not valid at {@code now}, or the key does not belong
   * to the certificate.
   */
  public static CaCredentials load(Path keyFile, Path certFile, Instant now) {
    requireFile(keyFile, "CA key", "--ca-key / ZT_CA_KEY");
    requireFile(certFile, "CA certificate", "--ca-cert / ZT_CA_CERT");
    requireOwnerOnly(keyFile);

    PrivateKey key = readKey(keyFile);
    List<X509Certificate> chain = readChain(certFile);
    X509Certificate ca = chain.get(0);
    requireCa(ca, certFile, now);

    String algorithm = signatureAlgorithm(key, keyFile);
    PrivateKey signingKey = key instanceof ECPrivateKey ? toBouncyCastle(key) : key;
    requireMatch(signingKey, algorithm, ca, keyFile, certFile);
    return new CaCredentials(signingKey, algorithm, List.copyOf(chain), Pem.certificates(chain));
  }

  private static void requireFile(Path file, String what, String setting) {
    if (!Files.isRegularFile(file)) {
      throw refused("the " + what + " " + file + " does not exist; set " + setting
          + " or make a dev PKI with 'java -jar ca-server.jar init --out certs/'");
    }
  }

  private static void requireOwnerOnly(Path keyFile) {
    try {
      if (KeyFiles.accessibleByOthers(keyFile)) {
        throw refused("the CA key " + keyFile + " is accessible by group or others; "
            + "run 'chmod 600 " + keyFile + "' and check who may have read it");
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: there are no mode bits to check.
    } catch (IOException e) {
      throw new CaException(CaErrorCode.CA_CREDENTIALS, "cannot read the permissions of "
          + keyFile + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey readKey(Path keyFile) {
    try {
      return Pem.readPrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      throw new CaException(CaErrorCode.CA_CREDENTIALS, "the CA key " + keyFile
          + " is not a readable PEM private key: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> readChain(Path certFile) {
    List<X509Certificate> chain;
    try {
      chain = Pem.readCertificates(Files.readString(certFile, StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      throw new CaException(CaErrorCode.CA_CREDENTIALS, "the CA certificate " + certFile
          + " is not readable PEM: " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw refused("the CA certificate file " + certFile + " holds no certificate");
    }
    return chain;
  }

  private static void requireCa(X509Certificate ca, Path certFile, Instant now) {
    boolean[] keyUsage = ca.getKeyUsage();
    if (ca.getBasicConstraints() < 0 || keyUsage != null && !keyUsage[5]) {
      throw refused("the certificate " + certFile + " (" + ca.getSubjectX500Principal()
          + ") is not a CA certificate: it lacks basicConstraints CA:true or keyCertSign");
    }
    if (now.isAfter(ca.getNotAfter().toInstant())) {
      throw refused("the CA certificate " + certFile + " expired at "
          + ca.getNotAfter().toInstant() + "; make or install a new CA");
    }
    if (now.isBefore(ca.getNotBefore().toInstant())) {
      throw refused("the CA certificate " + certFile + " is not valid before "
          + ca.getNotBefore().toInstant() + "; check this machine's clock");
    }
  }

  private static String signatureAlgorithm(PrivateKey key, Path keyFile) {
    if (key instanceof RSAPrivateKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw refused("the CA key " + keyFile + " is RSA with "
            + rsa.getModulus().bitLength() + " bits; use at least 2048");
      }
      return "SHA256withRSA";
    }
    if (key instanceof ECPrivateKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits == 256) {
        return "SHA256withECDSA";
      }
      if (bits == 384) {
        return "SHA384withECDSA";
      }
      throw refused("the CA key " + keyFile + " is EC on a " + bits
          + "-bit curve; use P-256 or P-384");
    }
    throw refused("the CA key " + keyFile + " is " + key.getAlgorithm()
        + "; use an RSA (2048+ bits) or EC P-256/P-384 key");
  }

  private static PrivateKey toBouncyCastle(PrivateKey key) {
    try {
      return KeyFactory.getInstance("EC", Providers.BOUNCY_CASTLE)
          .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new CaException(CaErrorCode.CA_CREDENTIALS, "cannot load the EC CA key", e);
    }
  }

  private static void requireMatch(PrivateKey key, String algorithm, X509Certificate ca,
      Path keyFile, Path certFile) {
    byte[] probe = "zerotouch key match probe".getBytes(StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = key instanceof RSAPrivateKey
          ? Signature.getInstance(algorithm)
          : Signature.getInstance(algorithm, Providers.BOUNCY_CASTLE);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();

      Signature verifier = Signature.getInstance(algorithm, Providers.BOUNCY_CASTLE);
      verifier.initVerify(ca.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw refused("the CA key " + keyFile + " does not belong to the certificate "
          + certFile + " (" + ca.getSubjectX500Principal() + "); install the matching pair");
    }
  }

  private static CaException refused(String message) {
    return new CaException(CaErrorCode.CA_CREDENTIALS, message);
  }
}
