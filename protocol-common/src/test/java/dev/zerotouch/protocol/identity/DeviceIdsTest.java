package dev.zerotouch.protocol.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceIdsTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "device-5f3a9c2e7b1d4e80", "Sensor_01.kitchen", "9lives",
      "x123456789012345678901234567890123456789012345678901234567890123"})
  void safeIdsAreValid(String id) {
    assertThat(DeviceIds.isValid(id)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"-leading-dash", ".hidden", "_under", "a/b", "a b", "caf\u00e9",
      "a\nb", "../etc", "x1234567890123456789012345678901234567890123456789012345678901234"})
  void unsafeIdsAreInvalid(String id) {
    assertThat(DeviceIds.isValid(id)).isFalse();
  }

  @Test
  void generatedIdsAreValidRandomAndShapedAsDocumented() {
    Set<String> ids = new HashSet<>();

    for (int i = 0; i < 1000; i++) {
      ids.add(DeviceIds.generate());
    }

    assertThat(ids).hasSize(1000).allSatisfy(id -> {
      assertThat(id).matches("device-[0-9a-f]{16}");
      assertThat(DeviceIds.isValid(id)).isTrue();
    });
  }
}
