package dev.zerotouch.ca.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The key types {@code init} can make for the CA and the server, in command-line spelling. */
public enum CaKeyType {
  RSA2048,
  EC256;

  public KeyPair generate() {
    try {
      if (this == RSA2048) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BOUNCY_CASTLE);
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + spelling() + " key", e);
    }
  }

  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code rsa2048} or {@code ec256}. */
  public static CaKeyType parse(String text) {
    for (CaKeyType type : values()) {
      if (type.spelling().equalsIgnoreCase(text.trim())) {
        return type;
      }
    }
    String known = Arrays.stream(values()).map(CaKeyType::spelling)
        .collect(Collectors.joining(", "));
    throw new IllegalArgumentException("key type '" + text + "' is not known; use one of " + known);
  }
}
