package dev.zerotouch.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random input never escapes as anything but a {@link ProtocolException}, never hangs, and
 * leaves no buffer behind. Seeded, so a failure reproduces.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameDecoderFuzzTest {

  private static final long SEED = 20_261_203L;
  private static final int CASES = 3_000;

  @Test
  void randomByteStringsRaiseNothingButProtocolExceptions() {
    Random random = new Random(SEED);

    for (int i = 0; i < CASES; i++) {
      byte[] bytes = new byte[random.nextInt(80)];
      random.nextBytes(bytes);
      feed(bytes, random, "random bytes case " + i);
    }
  }

  @Test
  void randomPayloadsInValidFramesRaiseNothingButProtocolExceptions() {
    Random random = new Random(SEED + 1);

    for (int i = 0; i < CASES; i++) {
      int length = 1 + random.nextInt(random.nextBoolean() ? 24 : 600);
      byte[] payload = new byte[length];
      random.nextBytes(payload);
      payload[0] = (byte) (0x66 + random.nextInt(5));
      int sent = random.nextInt(8) == 0 ? random.nextInt(length) : length;
      ByteBuffer frame = ByteBuffer.allocate(4 + sent).putInt(length).put(payload, 0, sent);
      feed(frame.array(), random, "random frame case " + i);
    }
  }

  @Test
  void boundaryValuesInEveryByteOfAValidFrameAreDecodedOrRefused() {
    byte[] payload = MessageCodec.INSTANCE.encode(
        new Register(1, "1.4.2", Map.of("model", "zt-1", "hw", "b2")));
    byte[] valid = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload)
        .array();
    Random random = new Random(SEED + 2);

    for (int position = 0; position < valid.length; position++) {
      for (int value : new int[] {0x00, 0x01, 0x02, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xfe, 0xff}) {
        byte[] mutated = valid.clone();
        mutated[position] = (byte) value;
        feed(mutated, random, "byte " + position + " set to " + value);
      }
    }
  }

  private static void feed(byte[] bytes, Random random, String description) {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
    Throwable escaped = null;
    try {
      int offset = 0;
      while (offset < bytes.length) {
        int chunk = 1 + random.nextInt(bytes.length - offset);
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, offset, chunk));
        offset += chunk;
      }
      channel.finish();
    } catch (ProtocolException expected) {
      // The one outcome allowed besides decoded messages.
    } catch (Throwable unexpected) {
      escaped = unexpected;
    } finally {
      channel.finishAndReleaseAll();
    }

    assertThat(escaped).as(description).isNull();
  }
}
