package dev.zerotouch.ca.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.registry.CertificateRecord;
import dev.zerotouch.registry.CertificateStatus;
import dev.zerotouch.registry.IssueResult;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.Registry.Outcome;
import dev.zerotouch.registry.RegistryErrorCode;
import dev.zerotouch.registry.RegistryException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class CommitBatcherTest {
  @Test
  void issuancesQueuedDuringACommitAreCommittedTogetherInTheNextOne() throws Exception {
    CountDownLatch firstCommitEntered = new CountDownLatch(1);
    CountDownLatch releaseFirstCommit = new CountDownLatch(1);
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    Registry registry = FakeRegistry.issuingWith(records -> {
      batchSizes.add(records.size());
      if (batchSizes.size() == 1) {
        firstCommitEntered.countDown();
        await(releaseFirstCommit);
      }
      return records.stream().map(r -> Outcome.ok(new IssueResult(r, Optional.empty())))
          .toList();
    });

    try (CommitBatcher batcher = batcher(registry, 64)) {
      CompletableFuture<IssueResult> first = batcher.submit(record("dev-0"));
      assertThat(firstCommitEntered.await(5, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<IssueResult>> queued = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        queued.add(batcher.submit(record("dev-" + i)));
      }
      releaseFirstCommit.countDown();

      assertThat(first.get(5, TimeUnit.SECONDS).certificate().cn()).isEqualTo("dev-0");
      for (int i = 0; i < queued.size(); i++) {
        assertThat(queued.get(i).get(5, TimeUnit.SECONDS).certificate().cn())
            .isEqualTo("dev-" + (i + 1));
      }
    }

    assertThat(batchSizes).containsExactly(1, 10);
  }

  @Test
  void batchesNeverExceedTheMaximum() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    Registry registry = FakeRegistry.issuingWith(records -> {
      batchSizes.add(records.size());
      await(release);
      return records.stream().map(r -> Outcome.ok(new IssueResult(r, Optional.empty())))
          .toList();
    });

    try (CommitBatcher batcher = batcher(registry, 4)) {
      List<CompletableFuture<IssueResult>> all = new ArrayList<>();
      for (int i = 0; i < 13; i++) {
        all.add(batcher.submit(record("dev-" + i)));
      }
      release.countDown();
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    }

    assertThat(batchSizes).allMatch(size -> size <= 4);
    assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(13);
  }

  @Test
  void eachIssuanceGetsItsOwnOutcomeFromTheBatch() throws Exception {
    Registry registry = FakeRegistry.issuingWith(records -> records.stream()
        .map(r -> r.cn().equals("dev-taken")
            ? Outcome.<IssueResult>failed(new RegistryException(RegistryErrorCode.CN_CONFLICT,
                "taken"))
            : Outcome.ok(new IssueResult(r, Optional.empty())))
        .toList());

    try (CommitBatcher batcher = batcher(registry, 64)) {
      CompletableFuture<IssueResult> ok = batcher.submit(record("dev-free"));
      CompletableFuture<IssueResult> taken = batcher.submit(record("dev-taken"));

      assertThat(ok.get(5, TimeUnit.SECONDS).certificate().cn()).isEqualTo("dev-free");
      assertThatThrownBy(() -> taken.join()).isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(RegistryException.class)
          .satisfies(e -> assertThat(((RegistryException) e.getCause()).code())
              .isEqualTo(RegistryErrorCode.CN_CONFLICT));
    }
  }

  @Test
  void registryUnavailableFailsEveryIssuanceOfTheBatch() {
    Registry registry = FakeRegistry.issuingWith(records -> {
      throw new RegistryException(RegistryErrorCode.UNAVAILABLE, "etcd down");
    });

    try (CommitBatcher batcher = batcher(registry, 64)) {
      CompletableFuture<IssueResult> a = batcher.submit(record("dev-a"));
      CompletableFuture<IssueResult> b = batcher.submit(record("dev-b"));

      for (CompletableFuture<IssueResult> future : List.of(a, b)) {
        assertThatThrownBy(future::join).hasCauseInstanceOf(RegistryException.class)
            .hasMessageContaining("etcd down");
      }
    }
  }

  private static CommitBatcher batcher(Registry registry, int maxBatch) {
    return new CommitBatcher(registry, maxBatch, Duration.ZERO,
        Executors.newSingleThreadExecutor(), new SimpleMeterRegistry());
  }

  private static CertificateRecord record(String cn) {
    Instant now = Instant.now();
    return new CertificateRecord(cn, "1a", "ab".repeat(32), "cd".repeat(32), now,
        now.plusSeconds(60), CertificateStatus.ACTIVE, now,
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
