package dev.zerotouch.registry;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The {@link Registry} over jetcd. One instance per process is enough: it is thread-safe and
 * multiplexes every call over one gRPC connection.
 *
 * <pre>{@code
 * Registry registry = EtcdRegistry.connect(new RegistryConfig(
 *     List.of("http://127.0.0.1:2379"), "/zerotouch/", Duration.ofSeconds(3)));
 * }</pre>
 */
public final class EtcdRegistry implements Registry {

  /** The most devices one {@link #listDevices} call returns. */
  public static final int MAX_PAGE = 1000;

  private final Client client;
  private final Keys keys;
  private final EtcdKv kv;
  private final Issuer issuer;
  private final DeviceRegistrar registrar;
  private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

  private EtcdRegistry(Client client, Keys keys, Duration timeout) {
    this.client = client;
    this.keys = keys;
    ReconnectNudge reconnect = ReconnectNudge.of(client);
    this.kv = new EtcdKv(client.getKVClient(), new EtcdCalls(timeout, reconnect::nudge));
    this.issuer = new Issuer(kv, keys);
    this.registrar = new DeviceRegistrar(kv, keys);
  }

  /**
   * Returns at once and connects in the background: etcd may still be away, and calls fail
   * with {@link RegistryErrorCode#UNAVAILABLE} until it answers. Only plain {@code http://}
   * endpoints are supported (no TLS or authentication to etcd yet).
   */
  public static Registry connect(RegistryConfig config) {
    Objects.requireNonNull(config, "config");
    if (config.endpoints() == null || config.endpoints().isEmpty()) {
      throw new IllegalArgumentException("endpoints is empty: expected at least one etcd URL"
          + " such as http://127.0.0.1:2379");
    }
    Duration timeout = config.callTimeout();
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("callTimeout " + timeout + " is not a positive"
          + " duration");
    }
    Keys keys = new Keys(config.keyPrefix());
    EtcdRegistry registry = new EtcdRegistry(EtcdClients.build(config.endpoints(), timeout),
        keys, timeout);
    registry.warmUp();
    return registry;
  }

  @Override
  public IssueResult issue(CertificateRecord certificate) {
    return issuer.issue(certificate);
  }

  @Override
  public List<Outcome<IssueResult>> issueAll(List<CertificateRecord> certificates) {
    Objects.requireNonNull(certificates, "certificates");
    return issuer.issueAll(certificates);
  }

  @Override
  public Optional<CertificateRecord> findCertificate(String serial) {
    if (!Keys.isSerial(serial)) {
      return Optional.empty();
    }
    return find(keys.cert(serial), CertificateRecord.class, "read a certificate");
  }

  @Override
  public Optional<CnRecord> findCn(String cn) {
    return validCn(cn) ? find(keys.cn(cn), CnRecord.class, "read the cn index") : Optional.empty();
  }

  @Override
  public RegistrationResult register(String serial, String certificateFingerprint,
      String remoteAddress, Map<String, String> attributes, Instant now) {
    return registrar.register(serial, certificateFingerprint, remoteAddress, attributes, now);
  }

  @Override
  public List<Outcome<RegistrationResult>> registerAll(List<RegistrationRequest> requests) {
    return registrar.registerAll(List.copyOf(requests));
  }

  @Override
  public Optional<DeviceRecord> findDevice(String cn) {
    return validCn(cn) ? find(keys.device(cn), DeviceRecord.class, "read a device")
        : Optional.empty();
  }

  @Override
  public DevicePage listDevices(Optional<String> after, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit " + limit + " is not between 1 and " + MAX_PAGE);
    }
    ByteSequence directory = keys.directory(Keys.DEVICES);
    ByteSequence start = after.map(cn -> keys.key(Keys.DEVICES + cn + "\0")).orElse(directory);
    GetOption range = GetOption.builder()
        .withRange(rangeEnd(directory))
        .withLimit(limit)
        .withSortField(GetOption.SortTarget.KEY)
        .withSortOrder(GetOption.SortOrder.ASCEND)
        .build();

    GetResponse response = kv.get(start, range, "list devices");

    List<DeviceRecord> devices = new ArrayList<>();
    for (KeyValue entry : response.getKvs()) {
      devices.add(Json.decode(entry, DeviceRecord.class));
    }
    Optional<String> next = response.isMore() && !devices.isEmpty()
        ? Optional.of(devices.get(devices.size() - 1).cn()) : Optional.empty();
    return new DevicePage(List.copyOf(devices), next);
  }

  @Override
  public CertificateRecord revoke(String serial) {
    return registrar.revoke(serial);
  }

  @Override
  public Presence openPresence(String serverId, Duration ttl) {
    EtcdPresence presence = EtcdPresence.open(client.getLeaseClient(), kv, keys, serverId, ttl);
    opened.add(presence);
    return presence;
  }

  @Override
  public Optional<PresenceRecord> findPresence(String cn) {
    return validCn(cn) ? find(keys.presence(cn), PresenceRecord.class, "read a presence")
        : Optional.empty();
  }

  @Override
  public void recordLastSeen(Map<String, Instant> lastSeen) {
    List<Op> puts = new ArrayList<>(lastSeen.size());
    lastSeen.forEach((cn, at) -> puts.add(Op.put(keys.lastSeen(cn),
        Json.encode(new LastSeenValue(Objects.requireNonNull(at, "lastSeen of " + cn))),
        PutOption.DEFAULT)));
    kv.commitInGroups(puts, "record last-seen times");
  }

  @Override
  public Optional<Instant> findLastSeen(String cn) {
    return validCn(cn) ? find(keys.lastSeen(cn), LastSeenValue.class, "read a last-seen time")
        .map(LastSeenValue::lastSeen) : Optional.empty();
  }

  @Override
  public AutoCloseable watchCertificates(Consumer<CertificateRecord> listener) {
    Objects.requireNonNull(listener, "listener");
    CertificateWatcher watcher = new CertificateWatcher(client.getWatchClient(), kv, keys,
        listener);
    watcher.start();
    opened.add(watcher);
    return watcher;
  }

  @Override
  public void checkHealth() {
    kv.get(keys.directory(""), GetOption.builder().withCountOnly(true).build(), "answer a read");
  }

  @Override
  public void close() {
    for (AutoCloseable closeable : opened) {
      try {
        closeable.close();
      } catch (Exception e) {
        // closing is best effort: the lease expires and the watch ends with the client
      }
    }
    client.close();
  }

  /**
   * Starts connecting in the background, so that gRPC, Netty and Vert.x are loaded and the
   * connection is up before the first real call; its failure is nobody's concern.
   */
  private void warmUp() {
    Json.encode(new CnRecord("1", "warm-up"));
    client.getKVClient().get(keys.directory(""), GetOption.builder().withCountOnly(true).build());
  }

  private <T> Optional<T> find(ByteSequence key, Class<T> type, String what) {
    return kv.get(key, what).map(entry -> Json.decode(entry, type));
  }

  private static boolean validCn(String cn) {
    try {
      Keys.requireCn(cn);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The first key after every key that starts with {@code prefix}. */
  static ByteSequence rangeEnd(ByteSequence prefix) {
    byte[] end = prefix.getBytes();
    end[end.length - 1]++;
    return ByteSequence.from(end);
  }
}
