package dev.zerotouch.protocol.pki;

import java.security.KeyPair;

/** The key types a device may generate. */
public enum KeyType {
  RSA_2048,
  EC_P256;

  public KeyPair generate() {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Parses {@code rsa2048} or {@code ec256} (the command-line spelling). */
  public static KeyType parse(String text) {
    throw new UnsupportedOperationException("skeleton");
  }
}
