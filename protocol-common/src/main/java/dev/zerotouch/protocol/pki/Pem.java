package dev.zerotouch.protocol.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM reading and writing of keys (PKCS#8), certificates and CSRs.
 *
 * <p>Readers take at most {@link #MAX_PEM_CHARS} characters and throw {@link PemException} with
 * a message saying what was expected and what was found. Text outside the PEM blocks is
 * ignored, as OpenSSL does. Keys are returned as JDK keys (the default JCA providers), so they
 * work with both TLS providers. Encrypted private keys are not supported: a device key is
 * protected by owner-only file permissions instead.
 */
public final class Pem {

  /** The most characters a reader accepts: far above a chain of a few certificates. */
  public static final int MAX_PEM_CHARS = 64 * 1024;

  static final String PRIVATE_KEY = "PRIVATE KEY";
  static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";
  static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";
  static final String EC_PARAMETERS = "EC PARAMETERS";
  static final String CERTIFICATE = "CERTIFICATE";
  static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";
  static final String NEW_CERTIFICATE_REQUEST = "NEW CERTIFICATE REQUEST";

  private static final String ENCRYPTED_KEY_REFUSAL = "encrypted private keys are not"
      + " supported; store the key unencrypted (PKCS#8) in an owner-only file";

  private Pem() {
  }

  /** The key as a PKCS#8 {@code PRIVATE KEY} block. */
  public static String privateKey(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("private key encodes as " + key.getFormat()
          + ", expected PKCS#8");
    }
    return write(List.of(new PemObject(PRIVATE_KEY, key.getEncoded())));
  }

  public static String certificate(X509Certificate certificate) {
    return certificates(List.of(certificate));
  }

  /** The certificates as consecutive {@code CERTIFICATE} blocks, in the order given. */
  public static String certificates(List<X509Certificate> chain) {
    List<PemObject> blocks = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      try {
        blocks.add(new PemObject(CERTIFICATE, certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("certificate " + certificate.getSubjectX500Principal()
            + " cannot be encoded", e);
      }
    }
    return write(blocks);
  }

  public static String csr(PKCS10CertificationRequest csr) {
    try {
      return write(List.of(new PemObject(CERTIFICATE_REQUEST, csr.getEncoded())));
    } catch (IOException e) {
      throw new UncheckedIOException("CSR cannot be encoded", e);
    }
  }

  /** Reads a PKCS#8 (or PKCS#1 / SEC1) private key; throws {@link PemException} when malformed. */
  public static PrivateKey readPrivateKey(String pem) {
    List<PemObject> keys = new ArrayList<>();
    for (PemObject block : blocks(pem, "private key")) {
      switch (block.getType()) {
        case PRIVATE_KEY, RSA_PRIVATE_KEY, EC_PRIVATE_KEY -> keys.add(block);
        case EC_PARAMETERS -> {
          // OpenSSL writes the curve before a SEC1 key; the key repeats it.
        }
        case "ENCRYPTED PRIVATE KEY" -> throw new PemException(ENCRYPTED_KEY_REFUSAL);
        default -> throw new PemException("expected a PRIVATE KEY block, found a "
            + block.getType() + " block");
      }
    }
    if (keys.size() != 1) {
      throw new PemException("expected exactly one private key, found " + keys.size());
    }
    if (isEncrypted(keys.get(0))) {
      throw new PemException(ENCRYPTED_KEY_REFUSAL);
    }
    return toPrivateKey(keys.get(0));
  }

  /** The first certificate of the text (the leaf, when it holds a chain). */
  public static X509Certificate readCertificate(String pem) {
    return readCertificates(pem).get(0);
  }

  /** Every certificate of the text, in order; at least one, and nothing else. */
  public static List<X509Certificate> readCertificates(String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    for (PemObject block : blocks(pem, "certificate")) {
      if (!CERTIFICATE.equals(block.getType())) {
        throw new PemException("expected only CERTIFICATE blocks, found a " + block.getType()
            + " block");
      }
      certificates.add(toCertificate(block.getContent()));
    }
    return List.copyOf(certificates);
  }

  /** Reads exactly one CSR; throws {@link PemException} when it is not one well-formed CSR. */
  public static PKCS10CertificationRequest readCsr(String pem) {
    List<PemObject> blocks = blocks(pem, "certificate request");
    if (blocks.size() != 1) {
      throw new PemException("expected exactly one CERTIFICATE REQUEST block, found "
          + blocks.size() + " PEM blocks");
    }

    PemObject block = blocks.get(0);
    String type = block.getType();
    if (!CERTIFICATE_REQUEST.equals(type) && !NEW_CERTIFICATE_REQUEST.equals(type)) {
      throw new PemException("expected a CERTIFICATE REQUEST block, found a " + type + " block");
    }
    try {
      return new PKCS10CertificationRequest(block.getContent());
    } catch (IOException | RuntimeException e) {
      throw new PemException("CERTIFICATE REQUEST block is not a PKCS#10 request: "
          + e.getMessage(), e);
    }
  }

  private static List<PemObject> blocks(String pem, String expected) {
    if (pem == null) {
      throw new PemException("no PEM text given; expected a " + expected);
    }
    if (pem.length() > MAX_PEM_CHARS) {
      throw new PemException("PEM text is " + pem.length() + " characters, above the limit of "
          + MAX_PEM_CHARS);
    }

    List<PemObject> blocks = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      for (PemObject block = reader.readPemObject(); block != null;
          block = reader.readPemObject()) {
        blocks.add(block);
      }
    } catch (IOException | RuntimeException e) {
      throw new PemException("malformed PEM text: " + e.getMessage(), e);
    }
    if (blocks.isEmpty()) {
      throw new PemException("no PEM block found; expected a " + expected);
    }
    return blocks;
  }

  /** A traditional OpenSSL key encrypted in place ({@code Proc-Type: 4,ENCRYPTED}). */
  private static boolean isEncrypted(PemObject block) {
    for (Object header : block.getHeaders()) {
      PemHeader pemHeader = (PemHeader) header;
      if ("Proc-Type".equalsIgnoreCase(pemHeader.getName())
          && pemHeader.getValue().contains("ENCRYPTED")) {
        return true;
      }
    }
    return false;
  }

  private static PrivateKey toPrivateKey(PemObject block) {
    try {
      PrivateKeyInfo info = switch (block.getType()) {
        case RSA_PRIVATE_KEY -> new PrivateKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
            RSAPrivateKey.getInstance(block.getContent()));
        case EC_PRIVATE_KEY -> fromSec1(ECPrivateKey.getInstance(block.getContent()));
        default -> PrivateKeyInfo.getInstance(block.getContent());
      };
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw new PemException(block.getType() + " block is not a readable private key: "
          + e.getMessage(), e);
    }
  }

  private static PrivateKeyInfo fromSec1(ECPrivateKey key) throws IOException {
    if (key.getParametersObject() == null) {
      throw new PemException("EC PRIVATE KEY block does not name its curve");
    }
    AlgorithmIdentifier algorithm =
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, key.getParametersObject());
    return new PrivateKeyInfo(algorithm, key);
  }

  private static X509Certificate toCertificate(byte[] der) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new PemException("CERTIFICATE block is not an X.509 certificate: " + e.getMessage(),
          e);
    }
  }

  private static String write(List<PemObject> blocks) {
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      for (PemObject block : blocks) {
        writer.writeObject(block);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("PEM cannot be written", e);
    }
    return text.toString();
  }
}
