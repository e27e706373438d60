package dev.zerotouch.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the message records accept, so a client cannot build a message the server refuses. */
class MessagesTest {

  @Test
  void registerCopiesItsAttributesSoLaterChangesDoNotLeakIn() {
    Map<String, String> attributes = new HashMap<>(Map.of("model", "zt-1"));
    Register register = Register.current("1.0", attributes);

    attributes.put("model", "changed");

    assertThat(register.attributes()).containsExactly(Map.entry("model", "zt-1"));
    assertThat(register.protocolVersion()).isEqualTo(Frames.PROTOCOL_VERSION);
    assertThatThrownBy(() -> register.attributes().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void registerRefusesAFirmwareVersionOverTheLimit() {
    assertThatThrownBy(() -> Register.current("\u00e9".repeat(33), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("firmwareVersion is 66 UTF-8 bytes, expected at most 64");
  }

  @Test
  void registerRefusesTooManyAttributes() {
    Map<String, String> attributes = new HashMap<>();
    for (int i = 0; i <= Register.MAX_ATTRIBUTES; i++) {
      attributes.put("k" + i, "v");
    }

    assertThatThrownBy(() -> Register.current("1.0", attributes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attributes has 33 entries, expected at most 32");
  }

  @Test
  void registerRefusesOversizedNullOrEmptyAttributeParts() {
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("model", null);

    assertThatThrownBy(() -> Register.current("1", Map.of("k".repeat(65), "v")))
        .hasMessageContaining("is 65 UTF-8 bytes, expected at most 64");
    assertThatThrownBy(() -> Register.current("1", Map.of("k", "v".repeat(257))))
        .hasMessage("attribute 'k' is 257 UTF-8 bytes, expected at most 256");
    assertThatThrownBy(() -> Register.current("1", Map.of("", "v")))
        .hasMessage("attribute key is '', expected 1 to 64 UTF-8 bytes");
    assertThatThrownBy(() -> Register.current("1", nullValue))
        .hasMessage("attribute 'model' has a null value");
    assertThatThrownBy(() -> Register.current(null, Map.of()))
        .hasMessage("firmwareVersion is null, expected a string");
    assertThatThrownBy(() -> new Register(0, "1", Map.of()))
        .hasMessage("protocolVersion is 0, expected 1 or more");
  }

  @Test
  void registeredRefusesAnInvalidDeviceIdOrInterval() {
    assertThatThrownBy(() -> new Registered("../etc", true, 30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deviceId '../etc' is not a device id");
    assertThatThrownBy(() -> new Registered("d1", true, 0))
        .hasMessage("heartbeatIntervalSeconds is 0, expected 1 or more");
  }

  @Test
  void heartbeatsRefuseNegativeNumbers() {
    assertThatThrownBy(() -> new Heartbeat(-1)).hasMessage("sequence is -1, expected 0 or more");
    assertThatThrownBy(() -> new HeartbeatAck(1, -5))
        .hasMessage("serverTimeMillis is -5, expected 0 or more");
  }

  @Test
  void errorCodeBuildsItsMessageWithTheWireCodeAndRetryableFlag() {
    ErrorMessage message = ErrorCode.REGISTRY_UNAVAILABLE.message("etcd is unreachable");

    assertThat(message).isEqualTo(
        new ErrorMessage("registry_unavailable", "etcd is unreachable", true));
    assertThat(message.errorCode()).contains(ErrorCode.REGISTRY_UNAVAILABLE);
  }

  @Test
  void errorCodeCutsAnOverlongTextToTheLimitOnACharacterBoundary() {
    ErrorMessage message = ErrorCode.INTERNAL_ERROR.message("\u00e9".repeat(2000));

    byte[] bytes = message.message().getBytes(StandardCharsets.UTF_8);
    assertThat(bytes.length).isEqualTo(1021 + 3 - 1);
    assertThat(message.message()).endsWith("\u00e9...");
  }

  @Test
  void errorMessageRefusesAnOversizedTextAndAnEmptyCode() {
    assertThatThrownBy(() -> new ErrorMessage("x", "m".repeat(1025), false))
        .hasMessage("message is 1025 UTF-8 bytes, expected at most 1024");
    assertThatThrownBy(() -> new ErrorMessage("", "m", false))
        .hasMessage("code is '', expected 1 to 64 UTF-8 bytes");
  }

  @Test
  void unknownWireCodeIsKeptButMapsToNoConstant() {
    ErrorMessage fromNewerServer = new ErrorMessage("quota_exceeded", "later", true);

    assertThat(fromNewerServer.errorCode()).isEmpty();
    assertThat(ErrorCode.fromWireCode("bad_frame")).contains(ErrorCode.BAD_FRAME);
  }
}
