package dev.zerotouch.registration.session;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.registry.Presence;
import dev.zerotouch.registry.PresenceRecord;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code presence/<cn>} in etcd in step with this server's registered connections, on
 * one background thread, because a {@link Presence} call may block for an etcd deadline and
 * neither event loops nor registrations should wait for it.
 *
 * <p>Callers state the wanted end state of a CN (present with a record, or absent); requests
 * for the same CN coalesce, so the newest one wins and the backlog never exceeds the number of
 * devices. A request is written {@link #GATHER} later, with every other one made meanwhile:
 * the presence keys of the devices registered in that time go to etcd in one transaction
 * instead of one each (nothing waits for a presence key; registrations are committed apart).
 * The {@link Presence} itself remembers what it could not write during an etcd outage
 * and writes it (on a new lease if the old one expired) when etcd answers again.
 */
public final class PresenceSync implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceSync.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  /** How long a request waits for others to be written with it. */
  private static final Duration GATHER = Duration.ofMillis(20);

  private final Registry registry;
  private final String serverId;
  private final Duration ttl;
  private final ConcurrentMap<String, Optional<PresenceRecord>> wanted = new ConcurrentHashMap<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "zt-presence"));
  private volatile Presence presence;
  private volatile boolean closing;

  public PresenceSync(Registry registry, String serverId, Duration ttl) {
    this.registry = registry;
    this.serverId = serverId;
    this.ttl = ttl;
  }

  /** Opens this instance's lease in the background. */
  public void start() {
    worker.execute(this::open);
  }

  public void announce(String cn, PresenceRecord record) {
    request(cn, Optional.of(record));
  }

  public void withdraw(String cn) {
    request(cn, Optional.empty());
  }

  /** Whether the lease is open, kept alive, and holds every announced key. */
  public boolean healthy() {
    Presence open = presence;
    return open != null && open.healthy();
  }

  private void open() {
    try {
      presence = registry.openPresence(serverId, ttl);
      LOG.info("presence lease opened {} {}", kv("server_id", serverId), kv("ttl", ttl));
      scheduleDrain(0);
    } catch (RegistryException e) {
      LOG.warn("presence lease cannot be opened yet, retrying {}", kv("reason", e.getMessage()));
      worker.schedule(this::open, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void request(String cn, Optional<PresenceRecord> state) {
    if (closing) {
      return;
    }
    wanted.put(cn, state);
    scheduleDrain(GATHER.toMillis());
  }

  private void scheduleDrain(long delayMillis) {
    if (!closing && drainScheduled.compareAndSet(false, true)) {
      worker.schedule(this::drain, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void drain() {
    drainScheduled.set(false);
    Presence open = presence;
    if (open == null) {
      return;
    }

    Map<String, PresenceRecord> announced = new LinkedHashMap<>();
    takeWanted().forEach((cn, state) -> {
      if (state.isPresent()) {
        announced.put(cn, state.get());
      } else {
        withdraw(open, cn);
      }
    });
    if (announced.isEmpty()) {
      return;
    }

    try {
      open.announceAll(announced);
    } catch (RegistryException e) {
      announced.forEach((cn, record) -> wanted.putIfAbsent(cn, Optional.of(record)));
      LOG.warn("presence update failed, retrying {} {}", kv("devices", announced.size()),
          kv("reason", e.getMessage()));
      scheduleDrain(RETRY.toMillis());
    }
  }

  /**
   * Takes the wanted states out of {@link #wanted}, one per CN: a request made while this runs
   * may be met by the iteration too, and then replaces the state taken before it, so that a
   * device that left while its announcement was being taken is withdrawn, not announced.
   */
  private Map<String, Optional<PresenceRecord>> takeWanted() {
    Map<String, Optional<PresenceRecord>> taken = new LinkedHashMap<>();
    Iterator<Map.Entry<String, Optional<PresenceRecord>>> entries = wanted.entrySet().iterator();
    while (entries.hasNext() && !closing) {
      Map.Entry<String, Optional<PresenceRecord>> entry = entries.next();
      if (wanted.remove(entry.getKey(), entry.getValue())) {
        taken.put(entry.getKey(), entry.getValue());
      }
    }
    return taken;
  }

  /** Withdraws {@code cn}, or schedules a retry when that failed. */
  private void withdraw(Presence open, String cn) {
    try {
      open.withdraw(cn);
    } catch (RegistryException e) {
      wanted.putIfAbsent(cn, Optional.empty());
      LOG.warn("presence update failed, retrying {} {}", kv("cn", cn),
          kv("reason", e.getMessage()));
      scheduleDrain(RETRY.toMillis());
    }
  }

  /**
   * Stops syncing and revokes the lease, which removes every presence key of this server at
   * once; pending requests are dropped.
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
      open.close();
    }
  }
}
