package dev.zerotouch.registry;

import java.time.Instant;
import java.util.Map;

/**
 * One device asking to register: the serial and fingerprint of the certificate it presented,
 * where it connected from, the attributes it sent and when.
 */
public record RegistrationRequest(String serial, String certificateFingerprint,
    String remoteAddress, Map<String, String> attributes, Instant now) {
}
