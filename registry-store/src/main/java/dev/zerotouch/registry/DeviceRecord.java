package dev.zerotouch.registry;

import java.time.Instant;
import java.util.Map;

/** The value under {@code devices/<cn>}. */
public record DeviceRecord(
    String cn,
    Instant firstRegisteredAt,
    Instant lastRegisteredAt,
    long registrationCount,
    String serial,
    String remoteAddress,
    Map<String, String> attributes) {
}
