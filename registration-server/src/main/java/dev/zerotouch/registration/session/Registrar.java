package dev.zerotouch.registration.session;

import dev.zerotouch.registry.RegistrationResult;
import dev.zerotouch.registry.Registry;
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
 */
public final class Registrar implements AutoCloseable {

  private final Registry registry;
  private final ThreadPoolExecutor pool;

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
    return CompletableFuture.supplyAsync(
        () -> registry.register(serial, fingerprint, remote, attributes, Instant.now()), pool);
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
