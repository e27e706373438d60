package dev.zerotouch.ca.signing;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A CSR that passed {@link CsrPolicy}: its Common Name (a valid device id), its public key and
 * the key's type as logs write it ({@code rsa2048}, {@code rsa3072}, {@code ec256}...).
 */
public record ValidatedCsr(String cn, SubjectPublicKeyInfo publicKey, String keyType) {
  public boolean rsa() {
    return keyType.startsWith("rsa");
  }
}
