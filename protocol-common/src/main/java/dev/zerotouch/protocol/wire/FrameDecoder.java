package dev.zerotouch.protocol.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/** Bytes to {@link Message}s; every malformed frame raises a {@link ProtocolException}. */
public final class FrameDecoder extends ByteToMessageDecoder {

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    throw new UnsupportedOperationException("skeleton");
  }
}
