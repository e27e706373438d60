package dev.zerotouch.ca.issuance;

import dev.zerotouch.ca.signing.SignedCertificate;
import java.util.Optional;

/**
 * A certificate signed and committed to the registry, with the CA chain to hand back and the
 * serial it superseded when it was a re-issue (same CN, same key).
 */
public record Issuance(SignedCertificate certificate, String caChainPem,
    Optional<String> supersededSerial) {
  public boolean reissue() {
    return supersededSerial.isPresent();
  }
}
