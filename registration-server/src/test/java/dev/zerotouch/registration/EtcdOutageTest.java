package dev.zerotouch.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.protocol.wire.ErrorMessage;
import dev.zerotouch.protocol.wire.Message;
import dev.zerotouch.protocol.wire.Registered;
import dev.zerotouch.registration.testing.Eventually;
import dev.zerotouch.registration.testing.ServerFixture;
import dev.zerotouch.registration.testing.TestClient;
import dev.zerotouch.registration.testing.TestClient.Attempt;
import dev.zerotouch.registration.testing.TestPki;
import dev.zerotouch.registry.testing.EtcdExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** etcd goes away and comes back while the server runs, with no restart of the server. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EtcdOutageTest {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  private static ServerFixture fixture;

  @BeforeAll
  static void startServer() throws Exception {
    fixture = new ServerFixture(ETCD, Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopServer() throws Exception {
    fixture.close();
  }

  @Test
  void outageRefusesRegistrationsRetryablyKeepsHeartbeatsAndRecoversByItself() throws Exception {
    TestPki.Identity online = fixture.issuedDevice("outage-online");
    TestPki.Identity late = fixture.issuedDevice("outage-late");
    try (TestClient established = fixture.connect(online)) {
      established.registerOrFail();
      assertThat(fixture.get("/health").statusCode()).isEqualTo(200);

      ETCD.stop();
      Attempt refused;
      try (TestClient client = fixture.connect(late)) {
        refused = client.attemptRegister();
      }
      long acks = 0;
      for (long sequence = 1; sequence <= 5; sequence++) {
        acks += established.heartbeat(sequence).sequence() == sequence ? 1 : 0;
      }
      Eventually.await("health says 503", Duration.ofSeconds(5), () -> status() == 503);
      HttpResponse<String> down = fixture.get("/health");

      assertThat(refused.reply()).as(refused.toString()).isInstanceOf(ErrorMessage.class);
      ErrorMessage error = (ErrorMessage) refused.reply();
      assertThat(error.code()).isEqualTo("registry_unavailable");
      assertThat(error.retryable()).isTrue();
      assertThat(refused.closed()).isTrue();
      assertThat(acks).isEqualTo(5);
      assertThat(down.body()).contains("\"status\":\"DOWN\"", "etcd unreachable");

      ETCD.start();
      Eventually.await("health says 200", Duration.ofSeconds(15), () -> status() == 200);
      assertThat(fixture.registry().findDevice("outage-late")).as("nothing committed").isEmpty();
      Registered registered = registerWithRetries(late);

      assertThat(registered.firstRegistration()).isTrue();
      assertThat(established.heartbeat(6).sequence()).isEqualTo(6);
      assertThat(fixture.registry().findDevice("outage-late")).isPresent();
      Eventually.await("last-seen of the established device flushed after the outage",
          Duration.ofSeconds(5),
          () -> fixture.registry().findLastSeen("outage-online").isPresent());
      Eventually.await("presence of the established device written after the outage",
          Duration.ofSeconds(10),
          () -> fixture.registry().findPresence("outage-online").isPresent());
    }
  }

  /** A device retries a retryable refusal; etcd's client may need a moment to reconnect. */
  private static Registered registerWithRetries(TestPki.Identity identity) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try (TestClient client = fixture.connect(identity)) {
        Message reply = client.register();
        if (reply instanceof Registered registered) {
          return registered;
        }
        if (!(reply instanceof ErrorMessage error) || !error.retryable()
            || System.nanoTime() > deadline) {
          throw new AssertionError("registration did not recover: " + reply);
        }
      }
      Thread.sleep(200);
    }
  }

  private static int status() {
    try {
      return fixture.get("/health").statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
