package dev.zerotouch.protocol.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** {@link Message}s to length-prefixed frames. Stateless and sharable. */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Message> {

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
    throw new UnsupportedOperationException("skeleton");
  }
}
