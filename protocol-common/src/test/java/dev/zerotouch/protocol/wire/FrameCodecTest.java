package dev.zerotouch.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Netty frame encoder and decoder through an EmbeddedChannel, every buffer released. */
class FrameCodecTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String HEARTBEAT_FRAME = "00000009" + "68000000000000002a";

  private final EmbeddedChannel channel =
      new EmbeddedChannel(new FrameDecoder(), new FrameEncoder());

  @AfterEach
  void releaseEverything() {
    channel.releaseInbound();
    channel.releaseOutbound();
    channel.close();
  }

  @Test
  void everyMessageSurvivesAFrameRoundTrip() {
    List<Message> messages = List.of(
        new Register(1, "1.4.2", Map.of("model", "zt-1", "hw", "b2")),
        new Registered("device-5f3a9c2e7b1d4e80", false, 30),
        new Heartbeat(Long.MAX_VALUE),
        new HeartbeatAck(0, 1_767_225_600_000L),
        ErrorCode.SERVER_BUSY.message("too many connections"));

    for (Message message : messages) {
      channel.writeOutbound(message);
      ByteBuf frame = channel.readOutbound();
      channel.writeInbound(frame);

      assertThat((Message) channel.readInbound()).isEqualTo(message);
    }
  }

  @Test
  void encoderWritesTheBigEndianLengthThenThePayload() {
    channel.writeOutbound(new Heartbeat(42));

    ByteBuf frame = channel.readOutbound();
    try {
      assertThat(ByteBufUtil.hexDump(frame)).isEqualTo(HEARTBEAT_FRAME);
    } finally {
      frame.release();
    }
  }

  @Test
  void frameArrivingOneByteAtATimeDecodesOnceComplete() {
    byte[] frame = HEX.parseHex(HEARTBEAT_FRAME);

    for (int i = 0; i < frame.length - 1; i++) {
      channel.writeInbound(Unpooled.wrappedBuffer(frame, i, 1));
      assertThat((Object) channel.readInbound()).isNull();
    }
    channel.writeInbound(Unpooled.wrappedBuffer(frame, frame.length - 1, 1));

    assertThat((Message) channel.readInbound()).isEqualTo(new Heartbeat(42));
  }

  @Test
  void severalFramesInOneReadAllDecode() {
    ByteBuf bytes = Unpooled.wrappedBuffer(HEX.parseHex(HEARTBEAT_FRAME + HEARTBEAT_FRAME));

    channel.writeInbound(bytes);

    assertThat((Message) channel.readInbound()).isEqualTo(new Heartbeat(42));
    assertThat((Message) channel.readInbound()).isEqualTo(new Heartbeat(42));
  }

  @Test
  void zeroLengthIsRefusedAtOnce() {
    assertBadFrame("00000000", "frame announces 0 bytes, expected 1 to 32768");
  }

  @Test
  void lengthOneAboveTheMaximumIsRefusedBeforeThePayloadArrives() {
    assertBadFrame("00008001", "frame announces 32769 bytes, expected 1 to 32768");
  }

  @Test
  void lengthOfAllOnesIsReadUnsignedAndRefused() {
    assertBadFrame("ffffffff", "frame announces 4294967295 bytes, expected 1 to 32768");
  }

  @Test
  void truncatedFrameAtConnectionCloseIsABadFrame() {
    channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("00000009" + "6800")));

    assertThatThrownBy(channel::finish)
        .isInstanceOf(ProtocolException.class)
        .hasMessage("connection closed inside a frame, 6 bytes of it received");
  }

  @Test
  void lengthPrefixCutShortAtConnectionCloseIsABadFrame() {
    channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("0000")));

    assertThatThrownBy(channel::finish)
        .isInstanceOf(ProtocolException.class)
        .hasMessage("connection closed inside a frame, 2 bytes of it received");
  }

  @Test
  void cleanCloseBetweenFramesRaisesNothing() {
    channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(HEARTBEAT_FRAME)));

    channel.finish();

    assertThat((Message) channel.readInbound()).isEqualTo(new Heartbeat(42));
  }

  @Test
  void garbageIsABadFrame() {
    assertThatThrownBy(() -> channel.writeInbound(
        Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("frame announces 1195725856 bytes");
  }

  @Test
  void unknownClassIdInAFrameIsAnUnknownMessage() {
    assertThatThrownBy(() -> channel.writeInbound(
        Unpooled.wrappedBuffer(HEX.parseHex("00000002" + "6b00"))))
        .isInstanceOf(ProtocolException.class)
        .extracting(e -> ((ProtocolException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_MESSAGE);
  }

  @Test
  void trailingBytesInAFrameAreABadFrame() {
    assertBadFrame("0000000a" + "68000000000000002a" + "ff",
        "1 bytes follow the Heartbeat message in its frame");
  }

  @Test
  void framesBeforeABadOneAreDeliveredAndNothingAfterIt() {
    ByteBuf bytes = Unpooled.wrappedBuffer(HEX.parseHex(
        HEARTBEAT_FRAME + "00000000" + HEARTBEAT_FRAME));

    assertThatThrownBy(() -> channel.writeInbound(bytes)).isInstanceOf(ProtocolException.class);

    assertThat((Message) channel.readInbound()).isEqualTo(new Heartbeat(42));
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void oneBadFrameRaisesExactlyOneExceptionAndLaterBytesAreDiscarded() {
    ByteBuf bad = Unpooled.wrappedBuffer(HEX.parseHex("ffffffff"));

    assertThatThrownBy(() -> channel.writeInbound(bad)).isInstanceOf(ProtocolException.class);

    channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(HEARTBEAT_FRAME)));
    channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("00000000")));
    channel.finish();

    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void encoderRefusesAMessageOverThePayloadLimitAndSendsNothing() {
    EmbeddedChannel small = new EmbeddedChannel(new FrameEncoder(new MessageCodec(16)));

    assertThatThrownBy(() -> small.writeOutbound(new Register(1, "1234567890123456", Map.of())))
        .isInstanceOf(EncoderException.class)
        .cause().hasMessage("Register encodes to more than the maximum payload of 16 bytes");
    assertThat((Object) small.readOutbound()).isNull();
    small.finishAndReleaseAll();
  }

  private void assertBadFrame(String hex, String message) {
    ByteBuf bytes = Unpooled.wrappedBuffer(HEX.parseHex(hex));

    assertThatThrownBy(() -> channel.writeInbound(bytes))
        .isInstanceOf(ProtocolException.class)
        .hasMessage(message)
        .extracting(e -> ((ProtocolException) e).code())
        .isEqualTo(ErrorCode.BAD_FRAME);
    assertThat(bytes.refCnt()).isZero();
  }
}
