package dev.zerotouch.protocol.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * {@link Message}s to length-prefixed frames. Stateless and sharable. A message whose payload
 * would exceed {@link Frames#MAX_PAYLOAD_BYTES} is refused: the write fails with an
 * {@link io.netty.handler.codec.EncoderException} and nothing is sent.
 */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Message> {

  private final MessageCodec codec;

  public FrameEncoder() {
    this(MessageCodec.INSTANCE);
  }

  FrameEncoder(MessageCodec codec) {
    super(Message.class);
    this.codec = codec;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
    int start = out.writerIndex();
    out.writeInt(0);
    try {
      codec.encode(msg, out);
    } catch (RuntimeException e) {
      out.writerIndex(start);
      throw e;
    }

    int payload = out.writerIndex() - start - Frames.LENGTH_FIELD_BYTES;
    out.setInt(start, payload);
  }
}
