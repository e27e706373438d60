package dev.zerotouch.protocol.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM reading and writing of keys (PKCS#8), certificates and CSRs. */
public final class Pem {

  private Pem() {
  }

  public static String privateKey(PrivateKey key) {
    throw new UnsupportedOperationException("skeleton");
  }

  public static String certificate(X509Certificate certificate) {
    throw new UnsupportedOperationException("skeleton");
  }

  public static String certificates(List<X509Certificate> chain) {
    throw new UnsupportedOperationException("skeleton");
  }

  public static String csr(PKCS10CertificationRequest csr) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Reads a PKCS#8 (or PKCS#1 / SEC1) private key; throws {@link PemException} when malformed. */
  public static PrivateKey readPrivateKey(String pem) {
    throw new UnsupportedOperationException("skeleton");
  }

  public static X509Certificate readCertificate(String pem) {
    throw new UnsupportedOperationException("skeleton");
  }

  public static List<X509Certificate> readCertificates(String pem) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Reads exactly one CSR; throws {@link PemException} when it is not one well-formed CSR. */
  public static PKCS10CertificationRequest readCsr(String pem) {
    throw new UnsupportedOperationException("skeleton");
  }
}
