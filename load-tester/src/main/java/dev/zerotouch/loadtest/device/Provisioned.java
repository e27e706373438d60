package dev.zerotouch.loadtest.device;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A device the CA has signed for: its key, its chain (own certificate first) and the CA
 * certificates it trusts for the registration server.
 */
public record Provisioned(String commonName, KeyPair keyPair, List<X509Certificate> chain,
    List<X509Certificate> trustedCas) {

  public Provisioned {
    chain = List.copyOf(chain);
    trustedCas = List.copyOf(trustedCas);
  }
}
