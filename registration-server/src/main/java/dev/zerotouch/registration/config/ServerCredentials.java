package dev.zerotouch.registration.config;

import dev.zerotouch.protocol.pki.Pem;
import dev.zerotouch.protocol.pki.PemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * The server's TLS identity (key and certificate chain) and the CA certificates it trusts for
 * client certificates, read and checked once at start-up: files present, the key readable by
 * its owner only, the key matching the first certificate.
 */
public record ServerCredentials(PrivateKey key, List<X509Certificate> chain,
    List<X509Certificate> trustedCas) {

  private static final byte[] PROBE = "zerotouch key check".getBytes(StandardCharsets.US_ASCII);

  public static ServerCredentials load(Path certFile, Path keyFile, Path caCertFile) {
    List<X509Certificate> chain = readCertificates("server certificate", certFile);
    List<X509Certificate> cas = readCertificates("CA certificate", caCertFile);
    PrivateKey key = readKey(keyFile);

    requireMatch(key, chain.get(0), certFile, keyFile);
    return new ServerCredentials(key, List.copyOf(chain), List.copyOf(cas));
  }

  private static List<X509Certificate> readCertificates(String what, Path file) {
    String pem = read(what, file);
    try {
      List<X509Certificate> certificates = Pem.readCertificates(pem);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(what + " file " + file + " holds no certificate");
      }
      return certificates;
    } catch (PemException e) {
      throw new IllegalArgumentException(what + " file " + file + " is not PEM certificates: "
          + e.getMessage(), e);
    }
  }

  private static PrivateKey readKey(Path file) {
    String pem = read("server key", file);
    requireOwnerOnly(file);
    try {
      return Pem.readPrivateKey(pem);
    } catch (PemException e) {
      throw new IllegalArgumentException("server key file " + file + " is not a PEM private key: "
          + e.getMessage(), e);
    }
  }

  /** Refuses a key file that users other than its owner and group may read or write. */
  private static void requireOwnerOnly(Path file) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException | IOException e) {
      return;
    }
    if (permissions.contains(PosixFilePermission.OTHERS_READ)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IllegalArgumentException("server key file " + file
          + " is readable or writable by other users; run: chmod 600 " + file);
    }
  }

  private static void requireMatch(PrivateKey key, X509Certificate certificate, Path certFile,
      Path keyFile) {
    boolean matches;
    try {
      String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(PROBE);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new IllegalArgumentException("server key " + keyFile
          + " does not belong to the first certificate in " + certFile);
    }
  }

  private static String read(String what, Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(what + " file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " file " + file + " cannot be read: " + e, e);
    }
  }
}
