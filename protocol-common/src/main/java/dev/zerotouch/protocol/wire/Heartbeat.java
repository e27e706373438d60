package dev.zerotouch.protocol.wire;

/**
 * Device to server: still alive.
 *
 * @param sequence chosen by the device, 0 or more; the server echoes it in {@link HeartbeatAck}
 */
public record Heartbeat(long sequence) implements Message {

  public Heartbeat {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence is " + sequence + ", expected 0 or more");
    }
  }
}
