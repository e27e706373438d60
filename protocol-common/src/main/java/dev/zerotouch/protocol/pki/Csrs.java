package dev.zerotouch.protocol.pki;

import java.security.KeyPair;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** Builds PKCS#10 requests: subject {@code CN=<deviceId>}, signed with the key itself. */
public final class Csrs {

  private Csrs() {
  }

  public static PKCS10CertificationRequest build(KeyPair keyPair, String commonName) {
    throw new UnsupportedOperationException("skeleton");
  }
}
