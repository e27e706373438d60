package dev.zerotouch.protocol.wire;

/** Server to device: the heartbeat with this sequence arrived. */
public record HeartbeatAck(long sequence, long serverTimeMillis) implements Message {
}
