package dev.zerotouch.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example frames of docs/PROTOCOL.md decode to the messages it names and re-encode exactly. */
class GoldenFramesInDocsTest {

  private static final String FRAME_LINE = "frame: ";

  @Test
  void everyFrameInTheProtocolDocumentRoundTripsByteForByte() throws IOException {
    Path doc = Path.of(System.getProperty("basedir", "."), "..", "docs", "PROTOCOL.md");
    assumeTrue(Files.exists(doc), "docs/PROTOCOL.md is not beside this module");
    List<String> frames = Files.readAllLines(doc).stream()
        .filter(line -> line.startsWith(FRAME_LINE))
        .map(line -> line.substring(FRAME_LINE.length()).replace(" ", ""))
        .toList();

    List<Message> decoded = frames.stream().map(GoldenFramesInDocsTest::roundTrip).toList();

    assertThat(decoded).containsExactly(
        new Register(1, "1.4.2", Map.of("model", "zt-1", "hw", "b2")),
        new Register(1, "", Map.of()),
        new Registered("device-5f3a9c2e7b1d4e80", true, 300),
        new Heartbeat(42),
        new HeartbeatAck(42, 1_767_225_600_000L),
        new ErrorMessage("certificate_revoked", "certificate 3f2a is revoked", false));
  }

  private static Message roundTrip(String hex) {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(), new FrameEncoder());
    try {
      channel.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
      Message message = channel.readInbound();
      channel.writeOutbound(message);
      ByteBuf encoded = channel.readOutbound();
      try {
        assertThat(ByteBufUtil.hexDump(encoded)).as("re-encoded %s", message).isEqualTo(hex);
      } finally {
        encoded.release();
      }
      return message;
    } finally {
      channel.finishAndReleaseAll();
    }
  }
}
