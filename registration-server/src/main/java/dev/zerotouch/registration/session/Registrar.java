package dev.zerotouch.registration.session;

import dev.zerotouch.registry.RegistrationResult;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryErrorCode;
import dev.zerotouch.registry.RegistryException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs registry registrations on a bounded pool of threads so that the event loops never wait
 * for etcd. When every thread is busy and the queue is full, {@link #register} fails at once
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

  private final Registry registry;
  private final ThreadPoolExecutor pool;
  private volatile long unavailableUntilNanos = System.nanoTime();

  public Registrar(Registry registry, int threads, int queue) {
    this.registry = registry;
    AtomicInteger counter = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queue),
        runnable -> {
          Thread thread = new Thread(runnable, "zt-registrar-" + counter.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        },
        new ThreadPoolExecutor.AbortPolicy());
    this.pool.allowCoreThreadTimeOut(true);
  }

  /** Commits the device record in the background; the future fails with the registry's error. */
  public CompletableFuture<RegistrationResult> register(String serial, String fingerprint,
      String remote, Map<String, String> attributes) {
    if (System.nanoTime() - unavailableUntilNanos < 0) {
      return CompletableFuture.failedFuture(new RegistryException(RegistryErrorCode.UNAVAILABLE,
          "etcd was unavailable moments ago; not trying again yet"));
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        return registry.register(serial, fingerprint, remote, attributes, Instant.now());
      } catch (RegistryException e) {
        if (e.code() == RegistryErrorCode.UNAVAILABLE) {
          unavailableUntilNanos = System.nanoTime() + FAIL_FAST.toNanos();
        }
        throw e;
      }
    }, pool);
  }

  @Override
  public void close() {
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
