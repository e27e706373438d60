package dev.zerotouch.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The payload format byte by byte; the golden vectors are the ones docs/PROTOCOL.md shows. */
class MessageCodecTest {

  private static final HexFormat HEX = HexFormat.of();
  private final MessageCodec codec = MessageCodec.INSTANCE;

  static Stream<Arguments> goldenVectors() {
    return Stream.of(
        Arguments.of(new Register(1, "1.4.2", Map.of("model", "zt-1", "hw", "b2")),
            "66" + "01" + "05312e342e32" + "02" + "026877" + "026232"
                + "056d6f64656c" + "047a742d31"),
        Arguments.of(new Register(1, "", Map.of()), "66" + "01" + "00" + "00"),
        Arguments.of(new Registered("device-5f3a9c2e7b1d4e80", true, 300),
            "67" + "17" + "6465766963652d35663361396332653762316434653830" + "01" + "ac02"),
        Arguments.of(new Heartbeat(42), "68" + "000000000000002a"),
        Arguments.of(new HeartbeatAck(42, 1_767_225_600_000L),
            "69" + "000000000000002a" + "0000019b76daa800"),
        Arguments.of(ErrorCode.CERTIFICATE_REVOKED.message("certificate 3f2a is revoked"),
            "6a" + "13" + "63657274696669636174655f7265766f6b6564"
                + "1b" + "63657274696669636174652033663261206973207265766f6b6564" + "00"));
  }

  @ParameterizedTest
  @MethodSource("goldenVectors")
  void encodesEachMessageToItsGoldenBytes(Message message, String hex) {
    byte[] payload = codec.encode(message);

    assertThat(HEX.formatHex(payload)).isEqualTo(hex);
  }

  @ParameterizedTest
  @MethodSource("goldenVectors")
  void decodesEachGoldenVectorToItsMessage(Message message, String hex) {
    Message decoded = codec.decode(HEX.parseHex(hex));

    assertThat(decoded).isEqualTo(message);
  }

  @Test
  void classIdOnTheWireIsWhatKryoItselfWritesForTheRegisteredId() {
    Kryo kryo = new Kryo();
    kryo.register(Heartbeat.class, MessageCodec.HEARTBEAT_ID);
    Output output = new Output(16);

    kryo.writeClass(output, Heartbeat.class);

    assertThat(output.toBytes()).containsExactly(MessageCodec.HEARTBEAT_ID + 2);
    assertThat(codec.encode(new Heartbeat(0))[0]).isEqualTo((byte) 0x68);
  }

  @Test
  void attributesAreWrittenSortedByKeySoTheEncodingIsCanonical() {
    Register register = new Register(1, "x", Map.of("b", "2", "a", "1", "c", "3"));

    String hex = HEX.formatHex(codec.encode(register));

    assertThat(hex).endsWith("03" + "0161" + "0131" + "0162" + "0132" + "0163" + "0133");
  }

  @Test
  void attributesInAnyOrderOnTheWireDecode() {
    byte[] payload = HEX.parseHex("66" + "01" + "00" + "02" + "0162" + "0132" + "0161" + "0131");

    Message decoded = codec.decode(payload);

    assertThat(decoded).isEqualTo(new Register(1, "", Map.of("a", "1", "b", "2")));
  }

  @Test
  void multibyteUtf8SurvivesTheRoundTrip() {
    Register register =
        new Register(1, "v2-\u00e9\u4e16\ud83d\ude80", Map.of("lieu", "Z\u00fcrich"));

    assertThat(codec.decode(codec.encode(register))).isEqualTo(register);
  }

  @Test
  void largestRegisterFitsInOneFrame() {
    Map<String, String> attributes = new java.util.HashMap<>();
    for (int i = 0; i < Register.MAX_ATTRIBUTES; i++) {
      attributes.put(String.format("%064d", i), "v".repeat(Register.MAX_ATTRIBUTE_VALUE_BYTES));
    }
    Register register = new Register(1, "f".repeat(64), attributes);

    byte[] payload = codec.encode(register);

    assertThat(payload.length).isLessThan(Frames.MAX_PAYLOAD_BYTES);
    assertThat(codec.decode(payload)).isEqualTo(register);
  }

  @ParameterizedTest
  @MethodSource("unknownClassIds")
  void unknownClassIdIsUnknownMessage(String hex) {
    assertThatThrownBy(() -> codec.decode(HEX.parseHex(hex)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("is not a message")
        .extracting(e -> ((ProtocolException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_MESSAGE);
  }

  static Stream<String> unknownClassIds() {
    return Stream.of(
        "00",                   // Kryo's null
        "01" + "00" + "00",     // Kryo's class-by-name marker: never resolved
        "03" + "2a000000",      // id 1: Kryo's default registration for String
        "65" + "00",            // id 99, just below the base
        "6b" + "00",            // id 105, just above the last message
        "ffffffff0f" + "00");   // varint 4294967295
  }

  @Test
  void classByNameIsRefusedWithoutLoadingTheClass() {
    byte[] name = "java.lang.Runtime".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] payload = new byte[3 + name.length];
    payload[0] = 0x01;
    payload[1] = 0x00;
    payload[2] = (byte) name.length;
    System.arraycopy(name, 0, payload, 3, name.length);

    assertThatThrownBy(() -> codec.decode(payload))
        .isInstanceOf(ProtocolException.class)
        .extracting(e -> ((ProtocolException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_MESSAGE);
  }

  @Test
  void trailingBytesAfterTheMessageAreABadFrame() {
    byte[] payload = HEX.parseHex("68" + "000000000000002a" + "00");

    assertThatThrownBy(() -> codec.decode(payload))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("1 bytes follow the Heartbeat message in its frame")
        .extracting(e -> ((ProtocolException) e).code())
        .isEqualTo(ErrorCode.BAD_FRAME);
  }

  @ParameterizedTest
  @MethodSource("goldenVectors")
  void everyTruncationOfAGoldenVectorIsABadFrame(Message message, String hex) {
    byte[] whole = HEX.parseHex(hex);

    for (int length = 1; length < whole.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(whole, length);
      assertThatThrownBy(() -> codec.decode(cut))
          .as("first %d of %d bytes of %s", length, whole.length, message)
          .isInstanceOf(ProtocolException.class)
          .extracting(e -> ((ProtocolException) e).code())
          .isEqualTo(ErrorCode.BAD_FRAME);
    }
  }

  @ParameterizedTest
  @MethodSource("badPayloads")
  void malformedFieldsAreRefusedWithTheirCode(String hex, ErrorCode code, String text) {
    assertThatThrownBy(() -> codec.decode(HEX.parseHex(hex)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(text)
        .extracting(e -> ((ProtocolException) e).code())
        .isEqualTo(code);
  }

  static Stream<Arguments> badPayloads() {
    return Stream.of(
        Arguments.of("66" + "01" + "ffffffff0f", ErrorCode.BAD_FRAME,
            "register.firmware_version length is 4294967295, above 2147483647"),
        Arguments.of("66" + "01" + "ffffff7f", ErrorCode.BAD_FRAME,
            "announces 268435455 bytes but only 0 are left"),
        Arguments.of("66" + "01" + "41" + "61".repeat(65) + "00", ErrorCode.INVALID_REGISTER,
            "register.firmware_version is 65 bytes, above the limit of 64"),
        Arguments.of("66" + "01" + "00" + "21" + "010101".repeat(33), ErrorCode.INVALID_REGISTER,
            "register.attributes has 33 entries, above the limit of 32"),
        Arguments.of("66" + "01" + "00" + "ffffff7f" + "010101", ErrorCode.BAD_FRAME,
            "register.attributes announces 268435455 entries but only 3 bytes are left"),
        Arguments.of("66" + "01" + "00" + "01" + "00" + "00", ErrorCode.INVALID_REGISTER,
            "attribute key is '', expected 1 to 64"),
        Arguments.of("66" + "01" + "00" + "02" + "0161" + "00" + "0161" + "00",
            ErrorCode.INVALID_REGISTER, "repeats the key 'a'"),
        Arguments.of("66" + "00" + "00" + "00", ErrorCode.INVALID_REGISTER,
            "protocolVersion is 0, expected 1 or more"),
        Arguments.of("66" + "01" + "02c328" + "00", ErrorCode.BAD_FRAME,
            "register.firmware_version is not valid UTF-8"),
        Arguments.of("67" + "03" + "612f62" + "01" + "1e", ErrorCode.BAD_FRAME,
            "deviceId 'a/b' is not a device id"),
        Arguments.of("67" + "01" + "61" + "02" + "1e", ErrorCode.BAD_FRAME,
            "registered.first_registration is byte 2, expected 0 (false) or 1 (true)"),
        Arguments.of("67" + "01" + "61" + "01" + "00", ErrorCode.BAD_FRAME,
            "heartbeatIntervalSeconds is 0, expected 1 or more"),
        Arguments.of("68" + "ffffffffffffffff", ErrorCode.BAD_FRAME,
            "sequence is -1, expected 0 or more"),
        Arguments.of("6a" + "00" + "00" + "00", ErrorCode.BAD_FRAME, "code is ''"),
        Arguments.of("6a" + "0161" + "8108" + "61".repeat(1025) + "00", ErrorCode.BAD_FRAME,
            "error.message is 1025 bytes, above the limit of 1024"));
  }

  @Test
  void emptyPayloadIsABadFrame() {
    assertThatThrownBy(() -> codec.decode(new byte[0]))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("payload is 0 bytes, expected 1 to 32768");
  }

  @Test
  void messageOverTheCodecLimitIsRefusedWhenEncoding() {
    MessageCodec small = new MessageCodec(16);

    assertThatThrownBy(() -> small.encode(new Register(1, "1234567890123456", Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Register encodes to more than the maximum payload of 16 bytes");
  }

  @Test
  void codecStillWorksAfterAFailedDecode() {
    assertThatThrownBy(() -> codec.decode(HEX.parseHex("66")))
        .isInstanceOf(ProtocolException.class);

    assertThat(codec.decode(HEX.parseHex("68000000000000002a"))).isEqualTo(new Heartbeat(42));
  }
}
