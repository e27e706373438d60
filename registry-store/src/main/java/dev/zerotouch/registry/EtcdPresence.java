package dev.zerotouch.registry;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence keys on one lease per server instance. The lease is kept alive by jetcd's
 * keep-alive stream; when etcd says the lease is gone, or no keep-alive was answered for a
 * whole TTL (an outage longer than the TTL), a new lease is granted and every connection
 * still announced is written again on it.
 *
 * <p>{@link #announce} and {@link #withdraw} do not throw when etcd is unreachable: the
 * change is remembered and written by a repair task that runs every second, and
 * {@link #healthy()} answers false until etcd has everything. Changes to one CN are
 * serialised by a lock stripe so that a late repair can never resurrect a withdrawn key.
 */
final class EtcdPresence implements Presence {

  static final Duration MIN_TTL = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(EtcdPresence.class);
  private static final Duration REPAIR_EVERY = Duration.ofSeconds(1);
  private static final int STRIPES = 64;

  private final Lease lease;
  private final EtcdKv kv;
  private final Keys keys;
  private final String serverId;
  private final Duration ttl;
  private final Map<String, PresenceRecord> wanted = new ConcurrentHashMap<>();
  private final Set<String> unwritten = ConcurrentHashMap.newKeySet();
  private final Map<String, ByteSequence> undeleted = new ConcurrentHashMap<>();
  private final Object[] stripes = new Object[STRIPES];
  private final ScheduledExecutorService repairs;
  private volatile long leaseId;
  private volatile long lastAliveNanos;
  private volatile CloseableClient keepAlive;
  private volatile boolean closed;

  private EtcdPresence(Lease lease, EtcdKv kv, Keys keys, String serverId, Duration ttl) {
    this.lease = lease;
    this.kv = kv;
    this.keys = keys;
    this.serverId = serverId;
    this.ttl = ttl;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
    this.repairs = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "registry-presence-" + serverId);
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Grants the lease now if etcd answers, else leaves it to the repair task: a server may
   * start while etcd is away.
   */
  static EtcdPresence open(Lease lease, EtcdKv kv, Keys keys, String serverId, Duration ttl) {
    if (serverId == null || serverId.isBlank()) {
      throw new IllegalArgumentException("serverId is empty: expected a name for this server"
          + " instance, such as its host name and pid");
    }
    if (ttl == null || ttl.compareTo(MIN_TTL) < 0) {
      throw new IllegalArgumentException("ttl " + ttl + " is shorter than " + MIN_TTL
          + ", which etcd does not keep reliably");
    }
    EtcdPresence presence = new EtcdPresence(lease, kv, keys, serverId, ttl);
    try {
      presence.grantIfNone();
    } catch (RegistryException e) {
      LOG.debug("presence lease not granted yet {} {}", kv("server", serverId),
          kv("error", e.getMessage()));
    }
    long every = REPAIR_EVERY.toMillis();
    presence.repairs.scheduleWithFixedDelay(presence::repair, every, every,
        TimeUnit.MILLISECONDS);
    return presence;
  }

  @Override
  public void announce(String cn, PresenceRecord record) {
    Keys.requireCn(cn);
    Objects.requireNonNull(record, "record");
    announceAll(Map.of(cn, record));
  }

  /**
   * Holds the lock stripes of every CN (in ascending order, so that two callers never wait on
   * each other) while the records are remembered and written in one transaction per
   * {@link EtcdKv#MAX_TXN_OPS}.
   */
  @Override
  public void announceAll(Map<String, PresenceRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    records.forEach((cn, record) -> {
      Keys.requireCn(cn);
      Objects.requireNonNull(record, "record of " + cn);
    });
    List<Integer> locks = records.keySet().stream().map(EtcdPresence::stripeIndex).distinct()
        .sorted().toList();

    holding(locks, 0, () -> {
      records.forEach((cn, record) -> {
        wanted.put(cn, record);
        undeleted.remove(cn);
        unwritten.add(cn);
      });
      long id = leaseId;
      if (id != 0) {
        writeAll(List.copyOf(records.keySet()), id);
      }
    });
  }

  @Override
  public void withdraw(String cn) {
    Keys.requireCn(cn);
    synchronized (stripe(cn)) {
      PresenceRecord record = wanted.get(cn);
      if (record != null) {
        withdraw(cn, record);
      }
    }
  }

  @Override
  public void withdraw(String cn, PresenceRecord record) {
    Keys.requireCn(cn);
    Objects.requireNonNull(record, "record");
    synchronized (stripe(cn)) {
      if (!wanted.remove(cn, record)) {
        return;
      }
      unwritten.remove(cn);
      ByteSequence value = Json.encode(record);
      undeleted.put(cn, value);
      deleteIfOurs(cn, value);
    }
  }

  @Override
  public boolean healthy() {
    long silentNanos = System.nanoTime() - lastAliveNanos;
    return !closed && leaseId != 0 && silentNanos < ttl.toNanos() && unwritten.isEmpty()
        && undeleted.isEmpty();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    repairs.shutdownNow();
    long id = leaseId;
    leaseId = 0;
    stopKeepAlive();
    wanted.clear();
    if (id != 0) {
      try {
        kv.calls().await(lease.revoke(id), "revoke the presence lease");
      } catch (RuntimeException e) {
        LOG.debug("presence lease not revoked, it expires by itself {} {}", kv("server", serverId),
            kv("error", e.getMessage()));
      }
    }
  }

  /** Grants a lease when there is none, then writes and deletes whatever is pending. */
  private void repair() {
    if (closed) {
      return;
    }
    try {
      grantIfNone();
      long id = leaseId;
      for (String cn : List.copyOf(undeleted.keySet())) {
        synchronized (stripe(cn)) {
          ByteSequence value = undeleted.get(cn);
          if (value != null) {
            deleteIfOurs(cn, value);
          }
        }
      }
      for (List<String> group : byStripe(unwritten)) {
        synchronized (stripe(group.get(0))) {
          writeAll(group, id);
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("presence repair failed, trying again {} {}", kv("server", serverId),
          kv("error", e.getMessage()));
    }
  }

  private synchronized void grantIfNone() {
    if (leaseId != 0 || closed) {
      return;
    }
    long seconds = (ttl.toMillis() + 999) / 1000;
    long id = kv.calls().await(lease.grant(seconds), "grant the presence lease").getID();
    lastAliveNanos = System.nanoTime();
    stopKeepAlive();
    keepAlive = lease.keepAlive(id, new KeepAliveObserver(id));
    unwritten.addAll(wanted.keySet());
    leaseId = id;
    LOG.debug("presence lease granted {} {} {}", kv("server", serverId), kv("lease", id),
        kv("keys", wanted.size()));
  }

  /** Writes the wanted records of {@code cns} on lease {@code id}; the caller holds a stripe. */
  private void writeAll(List<String> cns, long id) {
    if (id == 0) {
      return;
    }
    List<String> written = new ArrayList<>();
    List<Op> puts = new ArrayList<>();
    for (String cn : cns) {
      PresenceRecord record = wanted.get(cn);
      if (record == null) {
        unwritten.remove(cn);
      } else {
        written.add(cn);
        puts.add(Op.put(keys.presence(cn), Json.encode(record),
            PutOption.builder().withLeaseId(id).build()));
      }
    }
    try {
      kv.commitInGroups(puts, "write presence keys");
      written.forEach(unwritten::remove);
    } catch (RegistryException e) {
      LOG.debug("presence not written yet {} {} {}", kv("server", serverId),
          kv("keys", puts.size()), kv("error", e.getMessage()));
    } catch (IllegalStateException e) {
      if (!EtcdCalls.isLeaseNotFound(e)) {
        throw e;
      }
      lost(id);
    }
  }

  /** Deletes {@code presence/<cn>} if it still holds the value this instance wrote. */
  private void deleteIfOurs(String cn, ByteSequence value) {
    ByteSequence key = keys.presence(cn);
    try {
      kv.commit(List.of(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(value))),
          List.of(Op.delete(key, DeleteOption.DEFAULT)), "delete a presence key");
      undeleted.remove(cn, value);
    } catch (RegistryException e) {
      LOG.debug("presence not deleted yet {} {} {}", kv("server", serverId), kv("cn", cn),
          kv("error", e.getMessage()));
    }
  }

  private void lost(long id) {
    if (leaseId == id && !closed) {
      leaseId = 0;
      LOG.warn("presence lease lost, granting a new one {} {}", kv("server", serverId),
          kv("lease", id));
    }
  }

  private void stopKeepAlive() {
    CloseableClient running = keepAlive;
    keepAlive = null;
    if (running != null) {
      running.close();
    }
  }

  private Object stripe(String cn) {
    return stripes[stripeIndex(cn)];
  }

  private static int stripeIndex(String cn) {
    return Math.floorMod(cn.hashCode(), STRIPES);
  }

  /** Runs {@code action} holding the stripes {@code locks} (ascending) from {@code from} on. */
  private void holding(List<Integer> locks, int from, Runnable action) {
    if (from == locks.size()) {
      action.run();
      return;
    }
    synchronized (stripes[locks.get(from)]) {
      holding(locks, from + 1, action);
    }
  }

  private List<List<String>> byStripe(Set<String> cns) {
    Map<Integer, List<String>> groups = new ConcurrentHashMap<>();
    for (String cn : cns) {
      groups.computeIfAbsent(stripeIndex(cn), k -> new ArrayList<>())
          .add(cn);
    }
    return List.copyOf(groups.values());
  }

  /** Follows one lease's keep-alive answers. */
  private final class KeepAliveObserver implements StreamObserver<LeaseKeepAliveResponse> {

    private final long id;

    KeepAliveObserver(long id) {
      this.id = id;
    }

    @Override
    public void onNext(LeaseKeepAliveResponse response) {
      if (response.getTTL() > 0 && leaseId == id) {
        lastAliveNanos = System.nanoTime();
      }
    }

    @Override
    public void onError(Throwable error) {
      if (EtcdCalls.isLeaseNotFound(error)) {
        lost(id);
      } else {
        LOG.debug("presence keep-alive interrupted {} {}", kv("server", serverId),
            kv("error", error.getMessage()));
      }
    }

    @Override
    public void onCompleted() {
      lost(id);
    }
  }
}
