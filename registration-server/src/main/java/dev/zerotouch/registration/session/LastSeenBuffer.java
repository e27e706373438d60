package dev.zerotouch.registration.session;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last-seen times kept in memory and written to {@code lastseen/<cn>} in batches every flush
 * interval, so that a heartbeat costs no etcd write. A failed flush keeps its entries (unless
 * newer ones arrived) for the next round; heartbeats never wait for it.
 */
public final class LastSeenBuffer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LastSeenBuffer.class);

  private final Registry registry;
  private final Duration interval;
  private final ConcurrentMap<String, Instant> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "zt-lastseen"));

  public LastSeenBuffer(Registry registry, Duration interval) {
    this.registry = registry;
    this.interval = interval;
  }

  public void start() {
    long millis = interval.toMillis();
    flusher.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Notes that the device was seen now. */
  public void touch(String cn) {
    pending.put(cn, Instant.now());
  }

  /** Writes what is pending; returns how many entries were written. */
  public int flush() {
    if (pending.isEmpty()) {
      return 0;
    }
    Map<String, Instant> batch = new HashMap<>(pending);
    batch.forEach(pending::remove);

    try {
      registry.recordLastSeen(batch);
      LOG.debug("last-seen flushed {}", kv("devices", batch.size()));
      return batch.size();
    } catch (RegistryException e) {
      batch.forEach(pending::putIfAbsent);
      LOG.warn("last-seen flush failed, keeping it for the next round {} {}",
          kv("devices", batch.size()), kv("reason", e.getMessage()));
      return 0;
    } catch (RuntimeException e) {
      batch.forEach(pending::putIfAbsent);
      LOG.error("last-seen flush failed, keeping it for the next round {}",
          kv("devices", batch.size()), e);
      return 0;
    }
  }

  /** Stops the schedule and makes a last flush. */
  @Override
  public void close() {
    flusher.shutdown();
    try {
      flusher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
