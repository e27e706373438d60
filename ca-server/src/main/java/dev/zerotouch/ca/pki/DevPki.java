package dev.zerotouch.ca.pki;

import dev.zerotouch.protocol.pki.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the development PKI in one directory: {@code ca.key} and {@code ca.pem} (a self-signed
 * CA, ten years), {@code server.key} and {@code server.pem} (the registration server's
 * certificate followed by the CA certificate; SANs {@code localhost},
 * {@code registration-server} and {@code 127.0.0.1}; serverAuth). Only missing files are made
 * and no file is ever overwritten, so running it again changes nothing. Keys are written 0600
 * from creation.
 */
public final class DevPki {
  public static final String CA_KEY = "ca.key";
  public static final String CA_CERT = "ca.pem";
  public static final String SERVER_KEY = "server.key";
  public static final String SERVER_CERT = "server.pem";

  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration SERVER_VALIDITY = Duration.ofDays(825);
  static final List<String> SERVER_DNS_NAMES = List.of("localhost", "registration-server");
  static final String SERVER_IP = "127.0.0.1";

  private final SecureRandom random = new SecureRandom();

  /** What {@link #create} did with one file. */
  public record FileOutcome(Path file, boolean created) {
  }

  /**
   * Makes whatever is missing in {@code directory} (creating it if needed) and reports, per
   * file, whether it was created or kept. Throws {@link IllegalStateException} when an
   * existing file contradicts another (a certificate that does not match its key) or the CA
   * key is needed but missing while its certificate exists.
   */
  public List<FileOutcome> create(Path directory, CaKeyType caKeyType, CaKeyType serverKeyType,
      Instant now) throws IOException {
    Files.createDirectories(directory);
    List<FileOutcome> outcomes = new ArrayList<>();
    Path caKeyFile = directory.resolve(CA_KEY);
    Path caCertFile = directory.resolve(CA_CERT);
    Path serverKeyFile = directory.resolve(SERVER_KEY);
    Path serverCertFile = directory.resolve(SERVER_CERT);

    if (Files.exists(caCertFile) && !Files.exists(caKeyFile)) {
      throw new IllegalStateException(caCertFile + " exists without " + caKeyFile
          + "; restore the key or move both away to make a new CA");
    }
    KeyPair caKeys = keyPair(caKeyFile, caKeyType, outcomes);
    X509Certificate caCert = caCertificate(caCertFile, caKeys, now, outcomes);
    KeyPair serverKeys = keyPair(serverKeyFile, serverKeyType, outcomes);
    serverCertificate(serverCertFile, serverKeys.getPublic(), caKeys.getPrivate(), caCert, now,
        outcomes);
    return outcomes;
  }

  private KeyPair keyPair(Path file, CaKeyType type, List<FileOutcome> outcomes)
      throws IOException {
    if (Files.exists(file)) {
      PrivateKey key = Pem.readPrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
      outcomes.add(new FileOutcome(file, false));
      return new KeyPair(null, key);
    }
    KeyPair generated = type.generate();
    KeyFiles.writeOwnerOnly(file, Pem.privateKey(generated.getPrivate()));
    outcomes.add(new FileOutcome(file, true));
    return generated;
  }

  private X509Certificate caCertificate(Path file, KeyPair caKeys, Instant now,
      List<FileOutcome> outcomes) throws IOException {
    if (Files.exists(file)) {
      X509Certificate existing = Pem.readCertificate(Files.readString(file,
          StandardCharsets.US_ASCII));
      requireMatch(existing, caKeys.getPrivate(), file);
      outcomes.add(new FileOutcome(file, false));
      return existing;
    }
    if (caKeys.getPublic() == null) {
      throw new IllegalStateException(file + " is missing but its key exists; the public key "
          + "cannot be recovered from every key type here, so move the key away to make a "
          + "new CA");
    }

    byte[] tag = new byte[4];
    random.nextBytes(tag);
    String suffix = HexFormat.of().formatHex(tag);
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "zerotouch development")
        .addRDN(BCStyle.CN, "zerotouch dev CA " + suffix).build();
    X509Certificate ca = build(name, name, caKeys.getPublic(), caKeys.getPrivate(), null,
        now, CA_VALIDITY, true);
    KeyFiles.writePublic(file, Pem.certificate(ca));
    outcomes.add(new FileOutcome(file, true));
    return ca;
  }

  private void serverCertificate(Path file, PublicKey serverKey, PrivateKey caKey,
      X509Certificate caCert, Instant now, List<FileOutcome> outcomes) throws IOException {
    if (Files.exists(file)) {
      outcomes.add(new FileOutcome(file, false));
      return;
    }
    if (serverKey == null) {
      throw new IllegalStateException(file + " is missing but " + SERVER_KEY + " exists; "
          + "move the key away so that both are made again");
    }

    X500Name issuer = X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, "registration-server").build();
    X509Certificate server = build(issuer, subject, serverKey, caKey, caCert, now,
        SERVER_VALIDITY, false);
    KeyFiles.writePublic(file, Pem.certificates(List.of(server, caCert)));
    outcomes.add(new FileOutcome(file, true));
  }

  private X509Certificate build(X500Name issuer, X500Name subject, PublicKey key,
      PrivateKey signingKey, X509Certificate caCert, Instant now, Duration validity,
      boolean ca) throws IOException {
    Instant notAfter = now.plus(validity);
    if (caCert != null && notAfter.isAfter(caCert.getNotAfter().toInstant())) {
      notAfter = caCert.getNotAfter().toInstant();
    }
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
          new BigInteger(127, random).setBit(126), Date.from(now.minusSeconds(300)),
          Date.from(notAfter), subject, key);
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          utils.createSubjectKeyIdentifier(key));
      if (ca) {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      } else {
        int usage = key instanceof RSAKey
            ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
            : KeyUsage.digitalSignature;
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            utils.createAuthorityKeyIdentifier(caCert.getPublicKey()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        builder.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
            new GeneralName[] {
                new GeneralName(GeneralName.dNSName, SERVER_DNS_NAMES.get(0)),
                new GeneralName(GeneralName.dNSName, SERVER_DNS_NAMES.get(1)),
                new GeneralName(GeneralName.iPAddress, SERVER_IP)}));
      }
      JcaContentSignerBuilder signer = new JcaContentSignerBuilder(
          signingKey instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA");
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          signer.build(signingKey)));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build the certificate " + subject, e);
    }
  }

  private static void requireMatch(X509Certificate certificate, PrivateKey key, Path file) {
    String algorithm = key instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
    byte[] probe = "zerotouch init probe".getBytes(StandardCharsets.US_ASCII);
    try {
      java.security.Signature signer = java.security.Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signer.sign())) {
        return;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(file + " does not match " + CA_KEY + ": " + e, e);
    }
    throw new IllegalStateException(file + " does not match " + CA_KEY
        + "; move both away to make a new CA");
  }
}
