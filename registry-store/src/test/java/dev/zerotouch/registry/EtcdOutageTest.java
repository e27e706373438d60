package dev.zerotouch.registry;

import static dev.zerotouch.registry.TestCertificates.certificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.registry.testing.EtcdExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * etcd stopped and started again under a connected registry: every call fails with the
 * retryable {@link RegistryErrorCode#UNAVAILABLE} within the call deadline (2 s here), and
 * works again once etcd is back, with no new registry.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EtcdOutageTest {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  /** The deadline, plus room for a 2-core machine loaded by parallel builds. */
  private static final Duration BOUND = EtcdExtension.CALL_TIMEOUT.plusSeconds(2);
  /** gRPC's reconnect backoff is cut short after failed calls, so recovery is prompt. */
  private static final Duration RECOVERY = Duration.ofSeconds(10);

  private Registry registry;

  @BeforeEach
  void connect() {
    ETCD.start();
    registry = EtcdRegistry.connect(ETCD.registryConfig());
  }

  @AfterEach
  void disconnect() {
    registry.close();
    ETCD.start();
  }

  @Test
  void callsWhileEtcdIsStoppedFailUnavailableWithinTheDeadlineAndWorkAfterItRestarts() {
    CertificateRecord issued = certificate("outage-1");
    registry.issue(issued);
    CertificateRecord next = certificate("outage-2");

    ETCD.stop();

    assertUnavailableWithinBound(() -> registry.findCertificate(issued.serial()));
    assertUnavailableWithinBound(() -> registry.issue(next));
    assertUnavailableWithinBound(() -> registry.register(issued.serial(),
        issued.fingerprint(), "r", Map.of(), Instant.now()));
    assertUnavailableWithinBound(() -> {
      registry.checkHealth();
      return null;
    });

    ETCD.start();

    awaitRecovered(() -> registry.findCertificate(issued.serial()));
    assertThat(registry.issue(next).certificate()).isEqualTo(next);
    assertThat(registry.register(issued.serial(), issued.fingerprint(), "r", Map.of(),
        Instant.now()).firstRegistration()).isTrue();
  }

  @Test
  void registryConnectedWhileEtcdIsDownWorksOnceEtcdStarts() {
    ETCD.stop();
    Registry early = EtcdRegistry.connect(ETCD.registryConfig());
    try {
      assertUnavailableWithinBound(() -> early.findCn("late"));

      ETCD.start();

      awaitRecovered(() -> early.findCn("late"));
      assertThat(early.issue(certificate("late")).supersededSerial()).isEmpty();
    } finally {
      early.close();
    }
  }

  @Test
  void theCertificateWatchResumesAfterAnOutageAndDeliversLaterRevocations() throws Exception {
    CertificateRecord before = certificate("watched-1");
    CertificateRecord after = certificate("watched-2");
    registry.issue(before);
    registry.issue(after);
    BlockingQueue<CertificateRecord> seen = new LinkedBlockingQueue<>();

    try (AutoCloseable watch = registry.watchCertificates(seen::add)) {
      registry.revoke(before.serial());
      assertThat(seen.poll(10, TimeUnit.SECONDS)).extracting(CertificateRecord::serial)
          .isEqualTo(before.serial());
      ETCD.stop();
      ETCD.start();
      awaitRecovered(() -> registry.findCertificate(after.serial()));
      registry.revoke(after.serial());

      CertificateRecord delivered = seen.poll(20, TimeUnit.SECONDS);
      assertThat(delivered).isNotNull();
      assertThat(delivered.serial()).isEqualTo(after.serial());
      assertThat(delivered.status()).isEqualTo(CertificateStatus.REVOKED);
    }
  }

  private static void assertUnavailableWithinBound(Supplier<?> call) {
    long started = System.nanoTime();

    assertThatThrownBy(call::get).isInstanceOfSatisfying(RegistryException.class, e -> {
      assertThat(e.code()).isEqualTo(RegistryErrorCode.UNAVAILABLE);
      assertThat(e.retryable()).isTrue();
    });

    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    assertThat(elapsed).isLessThan(BOUND);
  }

  /** Repeats {@code call} until it stops failing with UNAVAILABLE, within {@link #RECOVERY}. */
  private static void awaitRecovered(Supplier<?> call) {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    RegistryException last = null;
    while (System.nanoTime() < deadline) {
      try {
        call.get();
        return;
      } catch (RegistryException e) {
        assertThat(e.code()).isEqualTo(RegistryErrorCode.UNAVAILABLE);
        last = e;
      }
    }
    throw new AssertionError("registry still unavailable " + RECOVERY + " after etcd started",
        last);
  }
}
