package dev.zerotouch.protocol.wire;

/** Frame limits: a frame is a 4-byte big-endian length, then that many bytes of one message. */
public final class Frames {

  /** Bytes of the length prefix. */
  public static final int LENGTH_FIELD_BYTES = 4;

  /** The largest payload a frame may announce; a larger or zero length is a protocol error. */
  public static final int MAX_PAYLOAD_BYTES = 32 * 1024;

  /** The version of the protocol this code speaks, sent in {@link Register}. */
  public static final int PROTOCOL_VERSION = 1;

  private Frames() {
  }
}
