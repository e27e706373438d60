package dev.zerotouch.protocol.wire;

import io.netty.buffer.ByteBuf;

/**
 * Turns one message into the bytes of one frame payload and back, with Kryo (registration
 * required, references off, explicit serializers, fixed class ids). Thread-safe: Kryo
 * instances are pooled.
 */
public final class MessageCodec {

  public static final MessageCodec INSTANCE = new MessageCodec();

  public byte[] encode(Message message) {
    throw new UnsupportedOperationException("skeleton");
  }

  public void encode(Message message, ByteBuf out) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Decodes exactly one message that fills the whole payload, or throws {@link ProtocolException}. */
  public Message decode(byte[] payload) {
    throw new UnsupportedOperationException("skeleton");
  }
}
