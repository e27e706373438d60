package dev.zerotouch.protocol.pki;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Judges client certificates the way a device gateway sees them: issued directly by one of the
 * trusted CAs. For such a certificate it checks, without building a certification path: the
 * issuer's signature (Bouncy Castle for ECDSA, about ten times faster than the JDK's, the JDK
 * for RSA), both validity periods, an accepted signature algorithm and key size, no critical
 * extension it does not understand, not a CA, and the TLS client usages. Anything else (a
 * chain through an intermediate CA, an anchor with name constraints or a weak key, a Netscape
 * certificate type, or a certificate that fails any of these checks) goes to the JDK's PKIX
 * trust manager for the same CAs, which accepts or refuses it with its own reasons; so this
 * class never accepts what PKIX would refuse for a directly issued certificate, it only gets
 * there in a fraction of the time.
 * Server certificates are always left to PKIX.
 */
public final class DirectIssuanceTrustManager extends X509ExtendedTrustManager {

  private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();
  private static final Map<String, String> SIGNATURES = Map.of(
      "1.2.840.113549.1.1.11", "SHA256withRSA",
      "1.2.840.113549.1.1.12", "SHA384withRSA",
      "1.2.840.113549.1.1.13", "SHA512withRSA",
      "1.2.840.10045.4.3.2", "SHA256withECDSA",
      "1.2.840.10045.4.3.3", "SHA384withECDSA",
      "1.2.840.10045.4.3.4", "SHA512withECDSA");
  /** basicConstraints, keyUsage, extendedKeyUsage, subjectAltName. */
  private static final Set<String> UNDERSTOOD_CRITICAL = Set.of(
      "2.5.29.19", "2.5.29.15", "2.5.29.37", "2.5.29.17");
  private static final String NAME_CONSTRAINTS = "2.5.29.30";
  private static final String NETSCAPE_CERT_TYPE = "2.16.840.1.113730.1.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_USAGE = "2.5.29.37.0";
  private static final int DIGITAL_SIGNATURE = 0;

  private final List<X509Certificate> anchors;
  private final X509ExtendedTrustManager pkix;

  public DirectIssuanceTrustManager(List<X509Certificate> trustedCas) {
    if (trustedCas == null || trustedCas.isEmpty()) {
      throw new IllegalArgumentException("trustedCas is empty, expected at least one CA"
          + " certificate: trusting nothing would refuse every peer");
    }
    this.anchors = trustedCas.stream()
        .filter(ca -> !hasExtension(ca, NAME_CONSTRAINTS))
        .filter(ca -> strongKey(ca.getPublicKey()))
        .toList();
    this.pkix = pkixFor(trustedCas);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (!directlyIssued(chain)) {
      pkix.checkClientTrusted(chain, authType, engine);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    if (!directlyIssued(chain)) {
      pkix.checkClientTrusted(chain, authType, socket);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (!directlyIssued(chain)) {
      pkix.checkClientTrusted(chain, authType);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  /** Whether every check of the class comment passes for the first certificate of chain. */
  boolean directlyIssued(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) {
      return false;
    }
    X509Certificate leaf = chain[0];
    try {
      Date now = new Date();
      leaf.checkValidity(now);
      if (!acceptableLeaf(leaf)) {
        return false;
      }
      for (X509Certificate anchor : anchors) {
        if (anchor.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())
            && signedBy(leaf, anchor.getPublicKey())) {
          anchor.checkValidity(now);
          return true;
        }
      }
      return false;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean acceptableLeaf(X509Certificate leaf) throws CertificateException {
    Set<String> critical = leaf.getCriticalExtensionOIDs();
    if (critical != null && !UNDERSTOOD_CRITICAL.containsAll(critical)) {
      return false;
    }
    if (leaf.getBasicConstraints() != -1 || !strongKey(leaf.getPublicKey())
        || hasExtension(leaf, NETSCAPE_CERT_TYPE)) {
      return false;
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && (keyUsage.length <= DIGITAL_SIGNATURE
        || !keyUsage[DIGITAL_SIGNATURE])) {
      return false;
    }
    List<String> extendedKeyUsage = leaf.getExtendedKeyUsage();
    return extendedKeyUsage == null || extendedKeyUsage.contains(CLIENT_AUTH)
        || extendedKeyUsage.contains(ANY_USAGE);
  }

  /**
   * Whether the certificate carries the extension, from its lists of extension OIDs: the JDK's
   * {@code getExtensionValue} of an absent extension it knows by name (Netscape cert type,
   * name constraints) throws and catches two exceptions, stack traces and all, which on the
   * event loops was one more cost per handshake.
   */
  private static boolean hasExtension(X509Certificate certificate, String oid) {
    Set<String> critical = certificate.getCriticalExtensionOIDs();
    Set<String> nonCritical = certificate.getNonCriticalExtensionOIDs();
    return critical != null && critical.contains(oid)
        || nonCritical != null && nonCritical.contains(oid);
  }

  private static boolean strongKey(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return rsa.getModulus().bitLength() >= 2048;
    }
    if (key instanceof ECPublicKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize() >= 256;
    }
    return false;
  }

  private static boolean signedBy(X509Certificate leaf, PublicKey issuerKey)
      throws GeneralSecurityException {
    String algorithm = SIGNATURES.get(leaf.getSigAlgOID());
    if (algorithm == null || leaf.getSigAlgParams() != null && algorithm.endsWith("ECDSA")) {
      return false;
    }
    Signature signature = algorithm.endsWith("ECDSA")
        ? Signature.getInstance(algorithm, BOUNCY_CASTLE) : Signature.getInstance(algorithm);
    signature.initVerify(issuerKey);
    signature.update(leaf.getTBSCertificate());
    return signature.verify(leaf.getSignature());
  }

  /**
   * The JDK's PKIX trust manager trusting exactly {@code trustedCas}; throws
   * {@link IllegalStateException} when the JDK cannot build one for them.
   */
  public static X509ExtendedTrustManager pkixFor(List<X509Certificate> trustedCas) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < trustedCas.size(); i++) {
        store.setCertificateEntry("ca-" + i, trustedCas.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(
          TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build a PKIX trust manager for the trusted CAs: "
          + e.getMessage(), e);
    }
  }
}
