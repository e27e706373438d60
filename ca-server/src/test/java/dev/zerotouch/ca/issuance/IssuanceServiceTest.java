package dev.zerotouch.ca.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.ca.CaErrorCode;
import dev.zerotouch.ca.CaException;
import dev.zerotouch.ca.TestPki;
import dev.zerotouch.ca.pki.CaCredentials;
import dev.zerotouch.ca.pki.CaKeyType;
import dev.zerotouch.ca.signing.CertificateSigner;
import dev.zerotouch.ca.signing.CsrPolicy;
import dev.zerotouch.registry.IssueResult;
import dev.zerotouch.registry.Registry.Outcome;
import dev.zerotouch.registry.RegistryErrorCode;
import dev.zerotouch.registry.RegistryException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class IssuanceServiceTest {
  @TempDir
  static Path pki;

  private static CaCredentials ca;

  @BeforeAll
  static void makeCa() {
    ca = TestPki.ca(pki, CaKeyType.EC256);
  }

  @Test
  void fullSigningQueueAnswersOverloadedWithoutSigning() throws Exception {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(1));
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(() -> awaitQuietly(release));
    pool.execute(() -> { });
    IssuanceService service = service(pool, FakeRegistry.issuingWith(records -> {
      throw new AssertionError("nothing may be committed");
    }));

    try {
      assertThatThrownBy(() -> service.issue(TestPki.csr(TestPki.ec("secp256r1"),
          "CN=dev-busy"), "127.0.0.1").join())
          .isInstanceOf(CompletionException.class)
          .satisfies(e -> assertThat(((CaException) e.getCause()).code())
              .isEqualTo(CaErrorCode.OVERLOADED));
    } finally {
      release.countDown();
      pool.shutdown();
    }
  }

  @Test
  void registryContentionBecomesStoreUnavailable() {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(8));
    IssuanceService service = service(pool, FakeRegistry.issuingWith(records ->
        records.stream().map(r -> Outcome.<IssueResult>failed(new RegistryException(
            RegistryErrorCode.CONTENTION, "lost races"))).toList()));

    assertThatThrownBy(() -> service.issue(TestPki.csr(TestPki.ec("secp256r1"),
        "CN=dev-race"), "127.0.0.1").join())
        .satisfies(e -> assertThat(((CaException) e.getCause()).code())
            .isEqualTo(CaErrorCode.STORE_UNAVAILABLE));
    pool.shutdown();
  }

  @Test
  void committedReissueReportsTheSupersededSerial() {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(8));
    IssuanceService service = service(pool, FakeRegistry.issuingWith(records ->
        records.stream().map(r -> Outcome.ok(new IssueResult(r, Optional.of("abc"))))
            .toList()));

    Issuance issuance = service.issue(TestPki.csr(TestPki.ec("secp256r1"), "CN=dev-again"),
        "127.0.0.1").join();

    assertThat(issuance.reissue()).isTrue();
    assertThat(issuance.supersededSerial()).hasValue("abc");
    assertThat(issuance.certificate().cn()).isEqualTo("dev-again");
    pool.shutdown();
  }

  private static IssuanceService service(ThreadPoolExecutor pool,
      dev.zerotouch.registry.Registry registry) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CommitBatcher batcher = new CommitBatcher(registry, 16, Duration.ZERO,
        Executors.newSingleThreadExecutor(), meters);
    return new IssuanceService(new CsrPolicy(), new CertificateSigner(ca, Duration.ofDays(1),
        Clock.systemUTC()), batcher, pool, ca.chainPem(), Clock.systemUTC(), meters);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
