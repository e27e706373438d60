package dev.zerotouch.device.provisioning;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The CA's answer to a CSR: the certificate, the CA chain, the serial and the expiry. */
public record IssuedCertificate(
    X509Certificate certificate, List<X509Certificate> caChain, String serial,
    Instant notAfter) {
  public IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(notAfter, "notAfter");
    caChain = List.copyOf(caChain);
  }
}
