package dev.zerotouch.protocol.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/** The key types a device may generate. RSA-2048 is the default. */
public enum KeyType {
  RSA_2048("rsa2048", "SHA256withRSA"),
  EC_P256("ec256", "SHA256withECDSA");

  private final String cliName;
  private final String signatureAlgorithm;

  KeyType(String cliName, String signatureAlgorithm) {
    this.cliName = cliName;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  /** A new key pair of this type from the JDK's providers and default SecureRandom. */
  public KeyPair generate() {
    try {
      if (this == RSA_2048) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate " + cliName + " keys", e);
    }
  }

  /** The spelling on the command line and in {@code ZT_KEY_TYPE}: {@code rsa2048} {@code ec256}. */
  public String cliName() {
    return cliName;
  }

  /** The JCA name of the signature a CSR of this key type carries. */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** Parses {@code rsa2048} or {@code ec256} (the command-line spelling). */
  public static KeyType parse(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (KeyType type : values()) {
      if (type.cliName.equals(wanted)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "key type '" + text + "' is not known; use rsa2048 or ec256");
  }
}
