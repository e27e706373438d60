package dev.zerotouch.protocol.wire;

/** Server to device: the registration is committed to the registry. */
public record Registered(String deviceId, boolean firstRegistration, int heartbeatIntervalSeconds)
    implements Message {
}
