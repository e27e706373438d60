package dev.zerotouch.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.protocol.wire.ErrorMessage;
import dev.zerotouch.registration.testing.ServerFixture;
import dev.zerotouch.registration.testing.TestClient;
import dev.zerotouch.registration.testing.TestClient.Attempt;
import dev.zerotouch.registration.testing.TestPki;
import dev.zerotouch.registry.testing.EtcdExtension;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every certificate and every byte stream the server must refuse, each followed by a good
 * device that still registers: a refusal ends one connection, never the server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RefusalTest {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  private static ServerFixture fixture;
  private static int goodDevices;

  @BeforeAll
  static void startServer() throws Exception {
    fixture = new ServerFixture(ETCD);
  }

  @AfterAll
  static void stopServer() throws Exception {
    fixture.close();
  }

  @AfterEach
  void serverStillServesAGoodDevice() throws Exception {
    TestPki.Identity good = fixture.issuedDevice("good-device-" + ++goodDevices);
    try (TestClient client = fixture.connect(good)) {
      assertThat(client.registerOrFail().deviceId()).isEqualTo(good.cn());
    }
  }

  @Test
  void clientWithoutCertificateIsRefusedInTheHandshake() throws Exception {
    try (TestClient client = fixture.connect(null)) {
      Attempt attempt = client.attemptRegister();

      assertThat(attempt.registered()).as(attempt.toString()).isFalse();
      assertThat(attempt.failure()).as(attempt.toString()).isInstanceOf(SSLException.class);
      assertThat(attempt.failure().getMessage()).contains("certificate_required");
    }
  }

  @Test
  void certificateFromAnotherCaIsRefusedInTheHandshake() throws Exception {
    TestPki.Identity stranger = TestPki.create("Other CA").device("stranger");
    fixture.registry().issue(stranger.record());

    try (TestClient client = fixture.connect(stranger)) {
      Attempt attempt = client.attemptRegister();

      assertThat(attempt.registered()).as(attempt.toString()).isFalse();
      assertThat(attempt.failure()).as(attempt.toString()).isInstanceOf(SSLException.class);
    }
  }

  @Test
  void expiredCertificateIsRefused() throws Exception {
    Instant now = Instant.now();
    TestPki.Identity expired = fixture.pki().device("expired", TestPki.newKeyPair(),
        now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)),
        KeyPurposeId.id_kp_clientAuth);
    fixture.registry().issue(expired.record());

    assertRefused(expired);
  }

  @Test
  void notYetValidCertificateIsRefused() throws Exception {
    Instant now = Instant.now();
    TestPki.Identity early = fixture.pki().device("not-yet-valid", TestPki.newKeyPair(),
        now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)),
        KeyPurposeId.id_kp_clientAuth);
    fixture.registry().issue(early.record());

    assertRefused(early);
  }

  @Test
  void certificateWithoutClientAuthUsageIsRefused() throws Exception {
    Instant now = Instant.now();
    TestPki.Identity serverOnly = fixture.pki().device("server-usage", TestPki.newKeyPair(),
        now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)),
        KeyPurposeId.id_kp_serverAuth);
    fixture.registry().issue(serverOnly.record());

    assertRefused(serverOnly);
  }

  @Test
  void certificateTheRegistryDoesNotHoldIsRefusedAsUnknown() throws Exception {
    TestPki.Identity unrecorded = fixture.pki().device("unrecorded");

    try (TestClient client = fixture.connect(unrecorded)) {
      Attempt attempt = client.attemptRegister();

      assertThat(attempt.reply()).as(attempt.toString()).isInstanceOf(ErrorMessage.class);
      assertThat(((ErrorMessage) attempt.reply()).code()).isEqualTo("certificate_unknown");
      assertThat(attempt.closed()).isTrue();
    }
    assertThat(fixture.registry().findDevice("unrecorded")).isEmpty();
  }

  @Test
  void supersededCertificateIsRefusedAtRegister() throws Exception {
    KeyPair keys = TestPki.newKeyPair();
    TestPki.Identity old = fixture.pki().device("reissued", keys);
    fixture.registry().issue(old.record());
    fixture.registry().issue(fixture.pki().device("reissued", keys).record());

    try (TestClient client = fixture.connect(old)) {
      Attempt attempt = client.attemptRegister();

      assertThat(attempt.reply()).as(attempt.toString()).isInstanceOf(ErrorMessage.class);
      assertThat(((ErrorMessage) attempt.reply()).code()).isEqualTo("certificate_superseded");
      assertThat(attempt.closed()).isTrue();
    }
  }

  @Test
  void revokedCertificateIsRefusedAtRegister() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("revoked-before");
    fixture.registry().revoke(device.serial());

    try (TestClient client = fixture.connect(device)) {
      Attempt attempt = client.attemptRegister();

      assertThat(attempt.reply()).as(attempt.toString()).isInstanceOf(ErrorMessage.class);
      assertThat(((ErrorMessage) attempt.reply()).code()).isEqualTo("certificate_revoked");
    }
  }

  @Test
  void connectionIsClosedWithinSecondsWhenItsCertificateIsRevoked() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("revoked-live");

    try (TestClient client = fixture.connect(device)) {
      client.registerOrFail();
      client.heartbeat(1);
      long started = System.nanoTime();
      fixture.registry().revoke(device.serial());
      ErrorMessage error = client.readErrorAndClose();

      assertThat(error.code()).isEqualTo("certificate_revoked");
      assertThat(error.retryable()).isFalse();
      assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1_500);
    }
  }

  @Test
  void garbageAfterTheHandshakeIsAnsweredWithBadFrameAndClosed() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("garbage");

    try (TestClient client = fixture.connect(device)) {
      client.sendRaw(new byte[] {0, 0, 0, 5, (byte) 0xde, (byte) 0xad, (byte) 0xbe, 1, 2});
      ErrorMessage error = client.readErrorAndClose();

      assertThat(error.code()).isIn("bad_frame", "unknown_message");
    }
  }

  @Test
  void oversizedLengthPrefixIsAnsweredWithBadFrameAndClosed() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("oversized");

    try (TestClient client = fixture.connect(device)) {
      client.sendRaw(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
      ErrorMessage error = client.readErrorAndClose();

      assertThat(error.code()).isEqualTo("bad_frame");
      assertThat(error.message()).contains(String.valueOf(Integer.MAX_VALUE));
    }
  }

  @Test
  void unknownMessageIdIsAnsweredWithUnknownMessageAndClosed() throws Exception {
    TestPki.Identity device = fixture.issuedDevice("unknown-id");

    try (TestClient client = fixture.connect(device)) {
      client.sendRaw(new byte[] {0, 0, 0, 1, 0x50});
      ErrorMessage error = client.readErrorAndClose();

      assertThat(error.code()).isEqualTo("unknown_message");
    }
  }

  @Test
  void plainTcpClientThatNeverStartsTlsIsClosedAfterTheHandshakeTimeout() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", fixture.server().port())) {
      socket.setSoTimeout((int) ServerFixture.HANDSHAKE_TIMEOUT.multipliedBy(3).toMillis());
      OutputStream out = socket.getOutputStream();
      out.flush();
      long started = System.nanoTime();

      int read = socket.getInputStream().read();

      assertThat(read).isEqualTo(-1);
      assertThat((System.nanoTime() - started) / 1_000_000).isBetween(1_500L, 4_000L);
    }
  }

  /** TLS 1.3: the refusal is an alert on the first read, or our error message, then close. */
  private static void assertRefused(TestPki.Identity identity) throws Exception {
    Attempt attempt;
    try (TestClient client = fixture.connect(identity)) {
      attempt = client.attemptRegister();
    } catch (SSLException e) {
      return;
    }

    assertThat(attempt.registered()).as(attempt.toString()).isFalse();
    assertThat(attempt.closed()).as(attempt.toString()).isTrue();
    if (attempt.reply() != null) {
      assertThat(attempt.reply()).isInstanceOf(ErrorMessage.class);
      assertThat(((ErrorMessage) attempt.reply()).code()).isEqualTo("certificate_unknown");
    } else {
      assertThat(attempt.failure()).as(attempt.toString()).isInstanceOf(SSLException.class);
    }
    assertThat(fixture.registry().findDevice(identity.cn())).isEmpty();
  }
}
