package dev.zerotouch.registry;

import java.time.Instant;
import java.util.Map;

/**
 * One device asking to register: the serial and fingerprint of the certificate it presented,
 * where it connected from, the attributes it sent and when, and the certificate's CN (its
 * device id) when the caller read it from the certificate. With the CN,
 * {@link Registry#registerAll} reads the certificate record and the device record in one etcd
 * round trip instead of two; it is a hint only: the device registered is always the one the
 * certificate record names.
 */
public record RegistrationRequest(String serial, String certificateFingerprint,
    String remoteAddress, Map<String, String> attributes, Instant now, String cn) {

  /** A request without the CN: the device record is read once the certificate is known. */
  public RegistrationRequest(String serial, String certificateFingerprint, String remoteAddress,
      Map<String, String> attributes, Instant now) {
    this(serial, certificateFingerprint, remoteAddress, attributes, now, null);
  }
}
