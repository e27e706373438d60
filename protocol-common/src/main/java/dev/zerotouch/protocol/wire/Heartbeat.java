package dev.zerotouch.protocol.wire;

/** Device to server: still alive. */
public record Heartbeat(long sequence) implements Message {
}
