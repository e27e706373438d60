package dev.zerotouch.protocol.wire;

/**
 * A protocol message: exactly one travels in each frame. The device's identity is never a
 * field of a message; it comes from the TLS client certificate only.
 */
public sealed interface Message
    permits Register, Registered, Heartbeat, HeartbeatAck, ErrorMessage {
}
