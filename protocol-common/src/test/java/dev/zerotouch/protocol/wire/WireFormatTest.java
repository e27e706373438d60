package dev.zerotouch.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The varint examples docs/PROTOCOL.md gives, as Kryo writes and reads them. */
class WireFormatTest {

  @ParameterizedTest
  @CsvSource({"0, 00", "1, 01", "30, 1e", "127, 7f", "128, 8001", "300, ac02",
      "16384, 808001", "2147483647, ffffffff07"})
  void varintEncodesAsDocumented(int value, String hex) {
    Output output = new Output(8);

    WireFormat.writeVarInt(output, value);

    assertThat(HexFormat.of().formatHex(output.toBytes())).isEqualTo(hex);
    assertThat(WireFormat.readVarInt(new Input(HexFormat.of().parseHex(hex)), "v"))
        .isEqualTo(value);
  }
}
