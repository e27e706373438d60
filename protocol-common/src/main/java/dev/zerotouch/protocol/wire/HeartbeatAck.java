package dev.zerotouch.protocol.wire;

/**
 * Server to device: the heartbeat with this sequence arrived.
 *
 * @param sequence the sequence of the acknowledged {@link Heartbeat}
 * @param serverTimeMillis the server's clock, milliseconds since the Unix epoch
 */
public record HeartbeatAck(long sequence, long serverTimeMillis) implements Message {

  public HeartbeatAck {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence is " + sequence + ", expected 0 or more");
    }
    if (serverTimeMillis < 0) {
      throw new IllegalArgumentException(
          "serverTimeMillis is " + serverTimeMillis + ", expected 0 or more");
    }
  }
}
