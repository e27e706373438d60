package dev.zerotouch.protocol.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Bytes to {@link Message}s; every malformed frame raises a {@link ProtocolException}.
 *
 * <p>The 4-byte length is judged as soon as it arrives: zero or more than
 * {@link Frames#MAX_PAYLOAD_BYTES} fails at once, so an announced size is never allocated or
 * waited for. A connection that closes inside a frame fails too. After the first failure the
 * decoder discards everything that follows, so one bad frame raises exactly one exception; the
 * handler that catches it sends an {@link ErrorMessage} and closes the channel. One instance per
 * channel: it is stateful.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

  private final MessageCodec codec;
  private boolean failed;

  public FrameDecoder() {
    this(MessageCodec.INSTANCE);
  }

  FrameDecoder(MessageCodec codec) {
    this.codec = codec;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < Frames.LENGTH_FIELD_BYTES) {
      return;
    }

    long length = in.getUnsignedInt(in.readerIndex());
    if (length == 0 || length > Frames.MAX_PAYLOAD_BYTES) {
      throw fail(in, new ProtocolException(ErrorCode.BAD_FRAME, "frame announces " + length
          + " bytes, expected 1 to " + Frames.MAX_PAYLOAD_BYTES));
    }
    if (in.readableBytes() < Frames.LENGTH_FIELD_BYTES + length) {
      return;
    }

    in.skipBytes(Frames.LENGTH_FIELD_BYTES);
    byte[] payload = new byte[(int) length];
    in.readBytes(payload);
    try {
      out.add(codec.decode(payload));
    } catch (ProtocolException e) {
      throw fail(in, e);
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    if (!failed && in.isReadable()) {
      int partial = in.readableBytes();
      throw fail(in, new ProtocolException(ErrorCode.BAD_FRAME,
          "connection closed inside a frame, " + partial + " bytes of it received"));
    }
  }

  private ProtocolException fail(ByteBuf in, ProtocolException error) {
    failed = true;
    in.skipBytes(in.readableBytes());
    return error;
  }
}
