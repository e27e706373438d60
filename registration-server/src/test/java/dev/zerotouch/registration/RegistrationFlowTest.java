package dev.zerotouch.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.protocol.wire.ErrorMessage;
import dev.zerotouch.protocol.wire.Frames;
import dev.zerotouch.protocol.wire.Heartbeat;
import dev.zerotouch.protocol.wire.HeartbeatAck;
import dev.zerotouch.protocol.wire.MessageCodec;
import dev.zerotouch.protocol.wire.Register;
import dev.zerotouch.protocol.wire.Registered;
import dev.zerotouch.registration.testing.Eventually;
import dev.zerotouch.registration.testing.LogCapture;
import dev.zerotouch.registration.testing.ServerFixture;
import dev.zerotouch.registration.testing.TestClient;
import dev.zerotouch.registration.testing.TestPki;
import dev.zerotouch.registry.DeviceRecord;
import dev.zerotouch.registry.PresenceRecord;
import dev.zerotouch.registry.testing.EtcdExtension;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistrationFlowTest {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  private static ServerFixture fixture;

  @BeforeAll
  static void startServer() throws Exception {
    fixture = new ServerFixture(ETCD);
  }

  @AfterAll
  static void stopServer() throws Exception {
    fixture.close();
  }

  @Test
  void firstRegistrationCommitsDeviceRecordAndHeartbeatsAreAcked() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-device-1");
    Instant before = Instant.now().minusSeconds(1);

    try (TestClient client = fixture.connect(device)) {
      Registered registered = client.registerOrFail();
      HeartbeatAck first = client.heartbeat(1);
      HeartbeatAck second = client.heartbeat(2);

      assertThat(registered.deviceId()).isEqualTo("flow-device-1");
      assertThat(registered.firstRegistration()).isTrue();
      assertThat(registered.heartbeatIntervalSeconds()).isEqualTo(1);
      assertThat(first.sequence()).isEqualTo(1);
      assertThat(second.sequence()).isEqualTo(2);
      assertThat(second.serverTimeMillis()).isBetween(before.toEpochMilli(),
          System.currentTimeMillis());
      DeviceRecord record = fixture.registry().findDevice("flow-device-1").orElseThrow();
      assertThat(record.serial()).isEqualTo(device.serial());
      assertThat(record.registrationCount()).isEqualTo(1);
      assertThat(record.firstRegisteredAt()).isAfter(before);
      assertThat(record.lastRegisteredAt()).isEqualTo(record.firstRegisteredAt());
      assertThat(record.remoteAddress()).startsWith("127.0.0.1:");
      assertThat(record.attributes())
          .containsEntry("model", "test-board")
          .containsEntry("firmware_version", "1.2.3");
    }
  }

  @Test
  void secondRegistrationIsNotFirstAndCountsUp() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-device-2");
    try (TestClient client = fixture.connect(device)) {
      client.registerOrFail();
    }

    try (TestClient client = fixture.connect(device)) {
      Registered again = client.registerOrFail();

      assertThat(again.firstRegistration()).isFalse();
      DeviceRecord record = fixture.registry().findDevice("flow-device-2").orElseThrow();
      assertThat(record.registrationCount()).isEqualTo(2);
      assertThat(record.lastRegisteredAt()).isAfter(record.firstRegisteredAt());
    }
  }

  @Test
  void presenceKeyExistsWhileConnectedAndGoesRightAfterDisconnect() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-presence");

    try (TestClient client = fixture.connect(device)) {
      client.registerOrFail();
      Eventually.await("presence written", Duration.ofSeconds(3),
          () -> fixture.registry().findPresence("flow-presence").isPresent());
      PresenceRecord presence = fixture.registry().findPresence("flow-presence").orElseThrow();

      assertThat(presence.serverId()).isEqualTo("test-server");
      assertThat(presence.serial()).isEqualTo(device.serial());
      assertThat(presence.remoteAddress()).startsWith("127.0.0.1:");
    }

    Eventually.await("presence withdrawn", Duration.ofSeconds(2),
        () -> fixture.registry().findPresence("flow-presence").isEmpty());
  }

  @Test
  void lastSeenIsFlushedInBatchesFromHeartbeats() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-lastseen");
    Instant before = Instant.now().minusSeconds(1);

    try (TestClient client = fixture.connect(device)) {
      client.registerOrFail();
      client.heartbeat(1);

      Eventually.await("last-seen flushed", Duration.ofSeconds(3),
          () -> fixture.registry().findLastSeen("flow-lastseen").isPresent());
      Optional<Instant> lastSeen = fixture.registry().findLastSeen("flow-lastseen");
      assertThat(lastSeen).get().matches(seen -> seen.isAfter(before));
    }
  }

  @Test
  void heartbeatBeforeRegisterIsRefusedWithNotRegistered() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-early-heartbeat");

    try (TestClient client = fixture.connect(device)) {
      client.send(new Heartbeat(1));
      ErrorMessage error = client.readErrorAndClose();

      assertThat(error.code()).isEqualTo("not_registered");
      assertThat(error.retryable()).isFalse();
    }
  }

  @Test
  void secondRegisterOnTheSameConnectionIsRefused() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-double-register");

    try (TestClient client = fixture.connect(device)) {
      client.registerOrFail();
      client.send(new Register(Frames.PROTOCOL_VERSION, "1", Map.of()));
      ErrorMessage error = client.readErrorAndClose();

      assertThat(error.code()).isEqualTo("already_registered");
    }
  }

  @Test
  void unsupportedProtocolVersionIsRefused() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-version");

    try (TestClient client = fixture.connect(device)) {
      client.send(new Register(Frames.PROTOCOL_VERSION + 1, "1", Map.of()));
      ErrorMessage error = client.readErrorAndClose();

      assertThat(error.code()).isEqualTo("unsupported_version");
      assertThat(error.message()).contains("protocol version " + (Frames.PROTOCOL_VERSION + 1));
    }
  }

  @Test
  void registerWithTooManyAttributesIsRefusedAsInvalid() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-attributes");
    Map<String, String> attributes = new java.util.HashMap<>();
    for (int i = 0; i < Register.MAX_ATTRIBUTES; i++) {
      attributes.put("key" + i, "value");
    }
    byte[] payload = MessageCodec.INSTANCE.encode(new Register(Frames.PROTOCOL_VERSION, "",
        attributes));
    assertThat(payload[3]).as("attribute count after class id, version, empty firmware")
        .isEqualTo((byte) Register.MAX_ATTRIBUTES);
    payload[3] = (byte) (Register.MAX_ATTRIBUTES + 1);

    try (TestClient client = fixture.connect(device)) {
      client.sendRaw(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload)
          .array());
      ErrorMessage error = client.readErrorAndClose();

      assertThat(error.code()).isEqualTo("invalid_register");
      assertThat(error.message()).contains("33 entries");
    }
    assertThat(fixture.registry().findDevice("flow-attributes")).isEmpty();
  }

  @Test
  void registrationAndConnectionEachLogOneJsonLineWithTheirFields() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-logged");

    try (LogCapture logs = new LogCapture()) {
      try (TestClient client = fixture.connect(device)) {
        client.registerOrFail();
      }
      Eventually.await("connection line logged", Duration.ofSeconds(3),
          () -> logs.jsonLines().stream().anyMatch(line -> line.contains("connection closed")
              && line.contains("flow-logged")));

      assertThat(logs.jsonLines()).filteredOn(line -> line.contains("\"cn\":\"flow-logged\""))
          .anySatisfy(line -> assertThat(line).contains("\"outcome\":\"registered\"",
              "\"serial\":\"" + device.serial() + "\"", "\"remote\":\"127.0.0.1:",
              "\"duration_ms\":", "\"first_registration\":true"))
          .anySatisfy(line -> assertThat(line).contains("\"outcome\":\"closed_by_peer\"",
              "\"duration_ms\":"))
          .noneSatisfy(line -> assertThat(line).contains("PRIVATE KEY"));
    }
  }

  @Test
  void newConnectionOfTheSameDeviceReplacesTheOlderOne() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-twice");

    try (TestClient older = fixture.connect(device);
        TestClient newer = fixture.connect(device)) {
      older.registerOrFail();
      newer.registerOrFail();

      ErrorMessage error = older.readErrorAndClose();
      assertThat(error.code()).isEqualTo("already_registered");
      assertThat(newer.heartbeat(7).sequence()).isEqualTo(7);
      assertThat(fixture.registry().findPresence("flow-twice")).isPresent();
    }
  }

  @Test
  void silentRegisteredDeviceIsClosedWithHeartbeatTimeout() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-silent");

    try (TestClient client = TestClient.connect(fixture.server().port(), device,
        fixture.pki().caCertificate(), Duration.ofSeconds(6))) {
      client.registerOrFail();
      long started = System.nanoTime();
      ErrorMessage error = client.readErrorAndClose();
      long waitedMillis = (System.nanoTime() - started) / 1_000_000;

      assertThat(error.code()).isEqualTo("heartbeat_timeout");
      assertThat(error.retryable()).isTrue();
      assertThat(waitedMillis).isBetween(1_500L, 4_000L);
    }
  }

  @Test
  void authenticatedClientThatSendsNothingIsClosed() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-mute");

    try (TestClient client = TestClient.connect(fixture.server().port(), device,
        fixture.pki().caCertificate(), Duration.ofSeconds(6))) {
      ErrorMessage error = client.readErrorAndClose();

      assertThat(error.code()).isEqualTo("not_registered");
      assertThat(error.message()).contains("no register within");
    }
  }

  @Test
  void healthSaysUpWithDeviceCountAndMetricsCountRegistrations() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("flow-health");

    try (TestClient client = fixture.connect(device)) {
      client.registerOrFail();
      HttpResponse<String> health = fixture.get("/health");
      HttpResponse<String> live = fixture.get("/live");
      HttpResponse<String> metrics = fixture.get("/metrics");

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"", "\"connected_devices\":",
          "\"tls_provider\":");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("zt_registrations_total{outcome=\"registered\"}",
          "zt_handshakes_total{outcome=\"ok\"}", "zt_connections");
    }
  }

  @Test
  void anUnknownPathOnTheHealthPortIsAJsonNotFound() throws Exception {
    HttpResponse<String> response = fixture.get("/nope");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("\"error\":\"not_found\"", "/health");
  }
}
