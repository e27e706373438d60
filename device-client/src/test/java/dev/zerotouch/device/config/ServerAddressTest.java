package dev.zerotouch.device.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerAddressTest {
  @Test
  void parsesHostAndPort() {
    assertThat(ServerAddress.parse("localhost:8443"))
        .isEqualTo(new ServerAddress("localhost", 8443));
  }

  @Test
  void parsesABracketedIpv6AddressAndPrintsItBack() {
    ServerAddress address = ServerAddress.parse("[::1]:8443");

    assertThat(address.host()).isEqualTo("::1");
    assertThat(address).hasToString("[::1]:8443");
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "localhost:", ":8443", "::1:8443"})
  void refusesAnAddressWithoutHostOrPort(String text) {
    assertThatThrownBy(() -> ServerAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void refusesAPortThatIsNotANumber() {
    assertThatThrownBy(() -> ServerAddress.parse("localhost:https"))
        .hasMessage("server port in 'localhost:https' is not a number; expected host:port such"
            + " as localhost:8443");
  }

  @Test
  void refusesAPortOutOfRange() {
    assertThatThrownBy(() -> ServerAddress.parse("localhost:70000"))
        .hasMessage("server port 70000 is out of range; expected 1 to 65535");
  }
}
