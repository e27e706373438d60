package dev.zerotouch.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.protocol.wire.ErrorMessage;
import dev.zerotouch.registration.testing.Eventually;
import dev.zerotouch.registration.testing.ServerFixture;
import dev.zerotouch.registration.testing.TestClient;
import dev.zerotouch.registration.testing.TestClient.Attempt;
import dev.zerotouch.registration.testing.TestPki;
import dev.zerotouch.registry.testing.EtcdExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connection limit, and what devices and etcd see when the server shuts down. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LifecycleTest {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  private ServerFixture fixture;

  @BeforeEach
  void startServer() throws Exception {
    fixture = new ServerFixture(ETCD, Duration.ofSeconds(2), Duration.ofSeconds(10), 2);
  }

  @AfterEach
  void stopServer() throws Exception {
    fixture.close();
  }

  @Test
  void connectionBeyondTheLimitIsClosedAndOthersKeepWorking() throws Exception {
    TestPki.Identity first = fixture.issuedDevice("limit-1");
    TestPki.Identity second = fixture.issuedDevice("limit-2");
    TestPki.Identity third = fixture.issuedDevice("limit-3");

    try (TestClient one = fixture.connect(first); TestClient two = fixture.connect(second)) {
      one.registerOrFail();
      two.registerOrFail();
      Attempt refused;
      try {
        TestClient three = fixture.connect(third);
        refused = three.attemptRegister();
        three.close();
      } catch (java.io.IOException e) {
        refused = new Attempt(null, e, true);
      }

      assertThat(refused.registered()).as(refused.toString()).isFalse();
      assertThat(one.heartbeat(1).sequence()).isEqualTo(1);
      assertThat(two.heartbeat(1).sequence()).isEqualTo(1);
    }
  }

  @Test
  void shutdownTellsDevicesShuttingDownAndRemovesPresence() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("shutdown-device");

    try (TestClient client = fixture.connect(device)) {
      client.registerOrFail();
      client.heartbeat(1);
      Eventually.await("presence written", Duration.ofSeconds(3),
          () -> fixture.registry().findPresence("shutdown-device").isPresent());

      fixture.server().close();
      ErrorMessage error = client.readErrorAndClose();

      assertThat(error.code()).isEqualTo("shutting_down");
      assertThat(error.retryable()).isTrue();
      assertThat(fixture.registry().findPresence("shutdown-device")).isEmpty();
      assertThat(fixture.registry().findLastSeen("shutdown-device")).isPresent();
    }
  }
}
