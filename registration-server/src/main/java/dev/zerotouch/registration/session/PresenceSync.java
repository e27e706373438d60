package dev.zerotouch.registration.session;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.registry.Presence;
import dev.zerotouch.registry.PresenceRecord;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code presence/<cn>} in etcd in step with this server's registered connections, on
 * one background thread so that neither event loops nor registrations wait for it.
 *
 * <p>Callers state the wanted end state of a CN (present with a record, or absent); requests
 * for the same CN coalesce, so the newest one wins and the backlog never exceeds the number of
 * devices, even during an etcd outage. Failed writes are retried every second. When the
 * presence lease comes back after it was lost, every registered connection is announced again.
 */
public final class PresenceSync implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceSync.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final Registry registry;
  private final String serverId;
  private final Duration ttl;
  private final Supplier<Map<String, PresenceRecord>> current;
  private final ConcurrentMap<String, Optional<PresenceRecord>> wanted = new ConcurrentHashMap<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "zt-presence"));
  private volatile Presence presence;
  private volatile boolean closing;
  private boolean leaseWasHealthy = true;

  /**
   * @param current every registered connection's presence record, to announce again after the
   *     lease was lost
   */
  public PresenceSync(Registry registry, String serverId, Duration ttl,
      Supplier<Map<String, PresenceRecord>> current) {
    this.registry = registry;
    this.serverId = serverId;
    this.ttl = ttl;
    this.current = current;
  }

  /** Opens the lease in the background (retrying while etcd is away) and starts watching it. */
  public void start() {
    long period = Math.max(500, ttl.toMillis() / 3);
    worker.scheduleWithFixedDelay(this::checkLease, 0, period, TimeUnit.MILLISECONDS);
  }

  public void announce(String cn, PresenceRecord record) {
    request(cn, Optional.of(record));
  }

  public void withdraw(String cn) {
    request(cn, Optional.empty());
  }

  /** Whether the lease is open and its keep-alive is answered. */
  public boolean healthy() {
    Presence open = presence;
    return open != null && open.healthy();
  }

  private void request(String cn, Optional<PresenceRecord> state) {
    if (closing) {
      return;
    }
    wanted.put(cn, state);
    scheduleDrain(0);
  }

  private void scheduleDrain(long delayMillis) {
    if (drainScheduled.compareAndSet(false, true)) {
      worker.schedule(this::drain, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void drain() {
    drainScheduled.set(false);
    if (presence == null || closing) {
      return;
    }
    Iterator<Map.Entry<String, Optional<PresenceRecord>>> entries = wanted.entrySet().iterator();
    while (entries.hasNext() && !closing) {
      Map.Entry<String, Optional<PresenceRecord>> entry = entries.next();
      String cn = entry.getKey();
      Optional<PresenceRecord> state = entry.getValue();
      if (!wanted.remove(cn, state)) {
        continue;
      }
      try {
        apply(cn, state);
      } catch (RegistryException e) {
        wanted.putIfAbsent(cn, state);
        LOG.warn("presence update failed, retrying {} {}", kv("cn", cn),
            kv("reason", e.getMessage()));
        scheduleDrain(RETRY.toMillis());
        return;
      }
    }
  }

  private void apply(String cn, Optional<PresenceRecord> state) {
    if (state.isPresent()) {
      presence.announce(cn, state.get());
    } else {
      presence.withdraw(cn);
    }
  }

  private void checkLease() {
    if (closing) {
      return;
    }
    if (presence == null) {
      openLease();
      return;
    }
    boolean healthy = presence.healthy();
    if (healthy && !leaseWasHealthy) {
      LOG.info("presence lease healthy again, announcing every device {}",
          kv("devices", current.get().size()));
      current.get().forEach((cn, record) -> wanted.putIfAbsent(cn, Optional.of(record)));
      scheduleDrain(0);
    }
    leaseWasHealthy = healthy;
  }

  private void openLease() {
    try {
      presence = registry.openPresence(serverId, ttl);
      LOG.info("presence lease open {} {}", kv("server_id", serverId), kv("ttl", ttl));
      scheduleDrain(0);
    } catch (RegistryException e) {
      LOG.warn("presence lease cannot be opened yet {}", kv("reason", e.getMessage()));
    }
  }

  /**
   * Stops syncing and revokes the lease, which removes every presence key of this server at
   * once, so the pending requests are dropped.
   */
  @Override
  public void close() {
    closing = true;
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Presence open = presence;
    if (open != null) {
      try {
        open.close();
      } catch (RegistryException e) {
        LOG.warn("presence lease could not be revoked; its keys expire with its TTL {}",
            kv("reason", e.getMessage()));
      }
    }
  }
}
