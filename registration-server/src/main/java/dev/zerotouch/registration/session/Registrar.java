package dev.zerotouch.registration.session;

import dev.zerotouch.registry.GroupCommit;
import dev.zerotouch.registry.RegistrationRequest;
import dev.zerotouch.registry.RegistrationResult;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.Registry.Outcome;
import dev.zerotouch.registry.RegistryErrorCode;
import dev.zerotouch.registry.RegistryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits registrations to the registry off the event loops, in groups: each of
 * {@code threads} committers takes the first waiting registration, whatever else is queued,
 * and what arrives until that first one has been queued for the linger (up to
 * {@link #MAX_BATCH} in all), and records them with one {@link Registry#registerAll} call, so
 * that a burst of devices costs a few etcd round trips instead of two each. A lone
 * registration waits out the linger. When the queue is full, {@link #register} fails at once
 * with {@link RejectedExecutionException}, which the caller reports as {@code server_busy}.
 *
 * <p>After a registration found etcd unavailable, registrations fail at once with
 * {@link RegistryErrorCode#UNAVAILABLE} for {@link #FAIL_FAST}, instead of each waiting for an
 * etcd deadline on a queue that would only grow; the first one after that period tries etcd
 * again, so recovery needs no restart.
 */
public final class Registrar implements AutoCloseable {

  /** How long registrations are refused without trying after etcd was found unavailable. */
  static final Duration FAIL_FAST = Duration.ofSeconds(1);
  /** Registrations committed by one registry call at most. */
  static final int MAX_BATCH = 256;

  private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);
  private static final long IDLE_POLL_MS = 100;

  private final Registry registry;
  private final BlockingQueue<Pending> queue;
  private final List<Thread> committers;
  private volatile long unavailableUntilNanos = System.nanoTime();
  private volatile boolean closed;

  private final long lingerNanos;

  private record Pending(RegistrationRequest request, long queuedAtNanos,
      CompletableFuture<RegistrationResult> result) {
  }

  /**
   * {@code linger}: how long the first registration of a group may wait for others to join
   * it, counted from when it was queued (zero: a group is whatever is queued when a committer
   * becomes free).
   */
  public Registrar(Registry registry, int threads, int queue, Duration linger) {
    this.registry = registry;
    this.queue = new ArrayBlockingQueue<>(queue);
    this.lingerNanos = linger.toNanos();
    List<Thread> started = new ArrayList<>();
    for (int i = 1; i <= threads; i++) {
      Thread thread = new Thread(this::run, "zt-registrar-" + i);
      thread.setDaemon(true);
      thread.start();
      started.add(thread);
    }
    this.committers = List.copyOf(started);
  }

  /**
   * Queues the registration of the device whose certificate (CN, serial, fingerprint) the
   * TLS handshake verified; the future completes once it is committed or refused.
   */
  public CompletableFuture<RegistrationResult> register(String cn, String serial,
      String fingerprint, String remote, Map<String, String> attributes) {
    if (failingFast()) {
      return CompletableFuture.failedFuture(notTryingYet());
    }
    if (closed) {
      return CompletableFuture.failedFuture(new RegistryException(
          RegistryErrorCode.UNAVAILABLE, "the server is shutting down"));
    }

    Pending pending = new Pending(new RegistrationRequest(serial, fingerprint, remote,
        attributes, Instant.now(), cn), System.nanoTime(), new CompletableFuture<>());
    if (!queue.offer(pending)) {
      throw new RejectedExecutionException("registration queue full");
    }
    return pending.result();
  }

  /** Stops after committing what is queued (waiting up to five seconds). */
  @Override
  public void close() {
    closed = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try {
      for (Thread committer : committers) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        committer.join(Math.max(1, left));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    RegistryException stopping = new RegistryException(RegistryErrorCode.UNAVAILABLE,
        "the server is shutting down");
    left.forEach(p -> p.result().completeExceptionally(stopping));
  }

  private void run() {
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        commit(GroupCommit.gather(queue, first, MAX_BATCH, first.queuedAtNanos() + lingerNanos));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("registration committer failed; continuing", e);
      }
    }
  }

  private void commit(List<Pending> batch) {
    if (failingFast()) {
      RegistryException refused = notTryingYet();
      batch.forEach(p -> p.result().completeExceptionally(refused));
      return;
    }

    List<Outcome<RegistrationResult>> outcomes;
    try {
      outcomes = registry.registerAll(batch.stream().map(Pending::request).toList());
    } catch (RuntimeException e) {
      RegistryException failure = e instanceof RegistryException registryError ? registryError
          : new RegistryException(RegistryErrorCode.UNAVAILABLE,
              "the registry failed unexpectedly: " + e.getMessage(), e);
      noteIfUnavailable(failure);
      batch.forEach(p -> p.result().completeExceptionally(failure));
      return;
    }

    for (int i = 0; i < batch.size(); i++) {
      Outcome<RegistrationResult> outcome = i < outcomes.size() ? outcomes.get(i)
          : Outcome.failed(new RegistryException(RegistryErrorCode.CORRUPT_VALUE,
              "the registry answered " + outcomes.size() + " outcomes for " + batch.size()));
      if (outcome.succeeded()) {
        batch.get(i).result().complete(outcome.value());
      } else {
        noteIfUnavailable(outcome.error());
        batch.get(i).result().completeExceptionally(outcome.error());
      }
    }
  }

  private void noteIfUnavailable(RegistryException failure) {
    if (failure.code() == RegistryErrorCode.UNAVAILABLE) {
      unavailableUntilNanos = System.nanoTime() + FAIL_FAST.toNanos();
    }
  }

  private boolean failingFast() {
    return System.nanoTime() - unavailableUntilNanos < 0;
  }

  private static RegistryException notTryingYet() {
    return new RegistryException(RegistryErrorCode.UNAVAILABLE,
        "etcd was unavailable moments ago; not trying again yet");
  }
}
