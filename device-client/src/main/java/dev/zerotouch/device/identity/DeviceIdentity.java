package dev.zerotouch.device.identity;

import dev.zerotouch.protocol.pki.Fingerprints;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A complete device identity: the device id (the certificate's CN), the private key, the
 * certificate the CA issued for it, and the CA chain the device trusts the registration
 * server through.
 */
public record DeviceIdentity(
    String deviceId, PrivateKey privateKey, X509Certificate certificate,
    List<X509Certificate> caChain) {
  public DeviceIdentity {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(certificate, "certificate");
    caChain = List.copyOf(caChain);
  }

  public String serial() {
    return Fingerprints.serialHex(certificate.getSerialNumber());
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /**
   * What the device presents in the TLS handshake: its certificate, then any intermediate CA
   * certificates of the chain (a self-signed root is left out: the server has it).
   */
  public List<X509Certificate> presentedChain() {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    for (X509Certificate ca : caChain) {
      if (!ca.getSubjectX500Principal().equals(ca.getIssuerX500Principal())) {
        chain.add(ca);
      }
    }
    return chain;
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "DeviceIdentity[deviceId=" + deviceId + ", serial=" + serial() + "]";
  }
}
