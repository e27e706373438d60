package dev.zerotouch.loadtest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.pki.KeyType;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoadTestConfigTest {

  @Test
  void commonNamesArePrefixAndSixDigitIndex() {
    LoadTestConfig config = config(10, 4, "load-ab-", "http://localhost:8080");

    assertThat(config.commonName(0)).isEqualTo("load-ab-000000");
    assertThat(config.commonName(42)).isEqualTo("load-ab-000042");
    assertThat(config.keyTypeLabel()).isEqualTo("ec256");
  }

  @Test
  void zeroDevicesIsRefusedNamingTheRange() {
    assertThatThrownBy(() -> config(0, 4, "load-", "http://localhost:8080"))
        .isInstanceOf(LoadTestException.class)
        .hasMessage("devices (N) is 0, expected 1 to 999999");
  }

  @Test
  void zeroConcurrencyIsRefused() {
    assertThatThrownBy(() -> config(1, 0, "load-", "http://localhost:8080"))
        .hasMessage("--concurrency is 0, expected 1 or more");
  }

  @Test
  void aPrefixThatMakesAnInvalidDeviceIdIsRefused() {
    assertThatThrownBy(() -> config(1, 1, "load/", "http://localhost:8080"))
        .hasMessageContaining("--cn-prefix 'load/' does not make a valid device id");
    assertThatThrownBy(() -> config(1, 1, "x".repeat(59), "http://localhost:8080"))
        .hasMessageContaining("at most 58 characters");
  }

  @Test
  void aCaUrlThatIsNotHttpIsRefused() {
    assertThatThrownBy(() -> config(1, 1, "load-", "ftp://ca"))
        .hasMessageContaining("--ca-url is 'ftp://ca', expected an http(s) URL");
  }

  static LoadTestConfig config(int devices, int concurrency, String prefix, String caUrl) {
    return new LoadTestConfig(devices, concurrency, Duration.ZERO, 2, Duration.ZERO,
        Duration.ofSeconds(5), KeyType.EC_P256, URI.create(caUrl),
        new ServerAddress("localhost", 8443), Optional.empty(), Optional.empty(), prefix,
        LogFormat.TEXT);
  }
}
