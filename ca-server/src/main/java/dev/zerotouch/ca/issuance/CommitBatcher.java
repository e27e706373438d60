package dev.zerotouch.ca.issuance;

import dev.zerotouch.registry.CertificateRecord;
import dev.zerotouch.registry.GroupCommit;
import dev.zerotouch.registry.IssueResult;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.Registry.Outcome;
import dev.zerotouch.registry.RegistryErrorCode;
import dev.zerotouch.registry.RegistryException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: issuances that arrive together are recorded in etcd with one
 * {@link Registry#issueAll} call. Each of {@code flushers} threads takes the first waiting
 * issuance, then whatever else is queued (up to {@code maxBatch}, waiting at most
 * {@code linger} for more), commits, and starts over; issuances that arrive while commits are
 * in flight form the next batch, so batches grow with load and a lone request waits for
 * nobody. More than one flusher keeps etcd busy while another batch waits for its answer. The
 * per-CN guarantee (one active certificate per CN, conflicts refused) is the registry's, per
 * item, in transactions guarded on what it read, so neither batching nor concurrent batches
 * let two requests for one CN both succeed. Futures are completed on {@code completions}, so
 * that writing responses never delays the next commit.
 */
public final class CommitBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommitBatcher.class);
  private static final long IDLE_POLL_MS = 100;

  private final Registry registry;
  private final int maxBatch;
  private final long lingerNanos;
  private final Executor completions;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final DistributionSummary batchSizes;
  private final List<Thread> flushers;
  private volatile boolean closed;

  private record Pending(CertificateRecord record, CompletableFuture<IssueResult> result) {
  }

  public CommitBatcher(Registry registry, int maxBatch, Duration linger, Executor completions,
      MeterRegistry meters) {
    this(registry, 1, maxBatch, linger, completions, meters);
  }

  public CommitBatcher(Registry registry, int flushers, int maxBatch, Duration linger,
      Executor completions, MeterRegistry meters) {
    this.registry = registry;
    this.maxBatch = maxBatch;
    this.lingerNanos = linger.toNanos();
    this.completions = completions;
    this.batchSizes = DistributionSummary.builder("ca.commit.batch.size")
        .description("issuances per etcd group commit").register(meters);
    List<Thread> threads = new ArrayList<>();
    for (int i = 1; i <= flushers; i++) {
      Thread thread = new Thread(this::run, "ca-commit-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    this.flushers = List.copyOf(threads);
  }

  /**
   * Queues one certificate record; the future completes with the registry's result or fails
   * with its {@link RegistryException} (for this item only).
   */
  public CompletableFuture<IssueResult> submit(CertificateRecord record) {
    CompletableFuture<IssueResult> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new RegistryException(RegistryErrorCode.UNAVAILABLE,
          "the CA is shutting down"));
      return result;
    }
    queue.add(new Pending(record, result));
    return result;
  }

  /** Stops after committing what is queued (waiting up to five seconds). */
  @Override
  public void close() {
    closed = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try {
      for (Thread flusher : flushers) {
        flusher.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    fail(left, new RegistryException(RegistryErrorCode.UNAVAILABLE, "the CA is shutting down"));
  }

  private void run() {
    while (!closed || !queue.isEmpty()) {
      try {
        List<Pending> batch = nextBatch();
        if (!batch.isEmpty()) {
          commit(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("group commit loop failed; continuing", e);
      }
    }
  }

  private List<Pending> nextBatch() throws InterruptedException {
    Pending first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
    if (first == null) {
      return List.of();
    }
    return GroupCommit.gather(queue, first, maxBatch, System.nanoTime() + lingerNanos);
  }

  private void commit(List<Pending> batch) {
    batchSizes.record(batch.size());
    List<CertificateRecord> records = batch.stream().map(Pending::record).toList();

    List<Outcome<IssueResult>> outcomes;
    try {
      outcomes = registry.issueAll(records);
    } catch (RegistryException e) {
      fail(batch, e);
      return;
    } catch (IllegalArgumentException e) {
      LOG.error("registry refused a batch as invalid; committing its items one by one", e);
      completions.execute(() -> batch.forEach(this::commitAlone));
      return;
    } catch (RuntimeException e) {
      fail(batch, new RegistryException(RegistryErrorCode.UNAVAILABLE,
          "the registry failed unexpectedly: " + e.getMessage(), e));
      return;
    }
    if (outcomes.size() != batch.size()) {
      fail(batch, new RegistryException(RegistryErrorCode.CORRUPT_VALUE, "the registry "
          + "answered " + outcomes.size() + " outcomes for " + batch.size() + " issuances"));
      return;
    }

    completions.execute(() -> {
      for (int i = 0; i < batch.size(); i++) {
        Outcome<IssueResult> outcome = outcomes.get(i);
        if (outcome.succeeded()) {
          batch.get(i).result().complete(outcome.value());
        } else {
          batch.get(i).result().completeExceptionally(outcome.error());
        }
      }
    });
  }

  private void commitAlone(Pending pending) {
    try {
      pending.result().complete(registry.issue(pending.record()));
    } catch (RuntimeException e) {
      pending.result().completeExceptionally(e);
    }
  }

  private void fail(List<Pending> batch, RegistryException error) {
    completions.execute(() -> batch.forEach(p -> p.result().completeExceptionally(error)));
  }
}
