package dev.zerotouch.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.registry.testing.EtcdExtension;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Presence keys on a server instance's lease, against a real etcd. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdPresenceTest {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  private static final Duration TTL = Duration.ofSeconds(2);

  private RegistryConfig config;
  private Registry registry;
  private Client raw;

  @BeforeEach
  void connect() {
    ETCD.start();
    config = ETCD.registryConfig();
    registry = EtcdRegistry.connect(config);
    raw = Client.builder().endpoints(ETCD.endpoint()).build();
  }

  @AfterEach
  void disconnect() {
    registry.close();
    raw.close();
    ETCD.start();
  }

  @Test
  void announcedPresenceIsReadableAndWithdrawnPresenceIsGone() {
    PresenceRecord record = record("server-a");
    try (Presence presence = registry.openPresence("server-a", TTL)) {
      presence.announce("dev-1", record);

      assertThat(registry.findPresence("dev-1")).contains(record);
      assertThat(presence.healthy()).isTrue();
      assertThat(lease("dev-1")).isPositive();

      presence.withdraw("dev-1");

      assertThat(registry.findPresence("dev-1")).isEmpty();
    }
  }

  @Test
  void manyDevicesAnnouncedTogetherAreAllPresentOnTheLease() {
    Map<String, PresenceRecord> records = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      records.put("batch-" + i, new PresenceRecord("server-a", Integer.toHexString(i),
          "198.51.100.1:" + (1000 + i), Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    }
    try (Presence presence = registry.openPresence("server-a", TTL)) {
      presence.announceAll(records);

      records.forEach((cn, record) -> assertThat(registry.findPresence(cn)).contains(record));
      assertThat(lease("batch-299")).isEqualTo(lease("batch-0")).isPositive();
      assertThat(presence.healthy()).isTrue();

      presence.withdraw("batch-7");

      assertThat(registry.findPresence("batch-7")).isEmpty();
      assertThat(registry.findPresence("batch-8")).contains(records.get("batch-8"));
    }
  }

  @Test
  void withdrawingAnOlderAnnouncementLeavesTheNewerOne() {
    PresenceRecord older = record("server-a");
    PresenceRecord newer = new PresenceRecord("server-a", "bb", "198.51.100.2:2",
        older.connectedAt().plusSeconds(1));
    try (Presence presence = registry.openPresence("server-a", TTL)) {
      presence.announce("dev-2", older);
      presence.announce("dev-2", newer);

      presence.withdraw("dev-2", older);

      assertThat(registry.findPresence("dev-2")).contains(newer);
    }
  }

  @Test
  void withdrawDoesNotDeleteAKeyAnotherServerWroteSince() {
    try (Presence first = registry.openPresence("server-a", TTL);
        Presence second = registry.openPresence("server-b", TTL)) {
      first.announce("dev-3", record("server-a"));
      PresenceRecord moved = record("server-b");
      second.announce("dev-3", moved);

      first.withdraw("dev-3");

      assertThat(registry.findPresence("dev-3")).contains(moved);
    }
  }

  @Test
  void closingThePresenceRemovesEveryKeyOfTheInstance() {
    Presence presence = registry.openPresence("server-a", TTL);
    presence.announce("dev-4", record("server-a"));
    presence.announce("dev-5", record("server-a"));

    presence.close();

    assertThat(registry.findPresence("dev-4")).isEmpty();
    assertThat(registry.findPresence("dev-5")).isEmpty();
    assertThat(presence.healthy()).isFalse();
  }

  @Test
  void keysOfAServerThatStoppedKeepingItsLeaseAliveExpireAfterTheTtl() {
    Client dyingClient = Client.builder().endpoints(ETCD.endpoint()).build();
    EtcdKv dyingKv = new EtcdKv(dyingClient.getKVClient(), new EtcdCalls(Duration.ofSeconds(2)));
    Presence presence = EtcdPresence.open(dyingClient.getLeaseClient(), dyingKv,
        new Keys(config.keyPrefix()), "server-dying", TTL);
    awaitTrue(presence::healthy, Duration.ofSeconds(10));
    presence.announce("dev-6", record("server-dying"));
    assertThat(registry.findPresence("dev-6")).isPresent();

    dyingClient.close();

    awaitTrue(() -> registry.findPresence("dev-6").isEmpty(), Duration.ofSeconds(10));
  }

  @Test
  void aLostLeaseIsReplacedAndEveryAnnouncedKeyWrittenAgain() throws Exception {
    PresenceRecord record = record("server-a");
    try (Presence presence = registry.openPresence("server-a", TTL)) {
      presence.announce("dev-7", record);
      long lostLease = lease("dev-7");

      raw.getLeaseClient().revoke(lostLease).get(5, TimeUnit.SECONDS);

      awaitTrue(() -> registry.findPresence("dev-7").isPresent() && presence.healthy(),
          Duration.ofSeconds(15));
      assertThat(lease("dev-7")).isNotEqualTo(lostLease);
    }
  }

  @Test
  void announcementsDuringAnOutageLongerThanTheTtlAreWrittenOnceEtcdIsBack() {
    PresenceRecord before = record("server-a");
    PresenceRecord during = record("server-a");
    try (Presence presence = registry.openPresence("server-a", TTL)) {
      presence.announce("dev-8", before);

      ETCD.stop();
      presence.announce("dev-9", during);
      awaitTrue(() -> !presence.healthy(), Duration.ofSeconds(10));
      ETCD.start();

      awaitTrue(presence::healthy, Duration.ofSeconds(30));
      assertThat(registry.findPresence("dev-8")).contains(before);
      assertThat(registry.findPresence("dev-9")).contains(during);
    }
  }

  @Test
  void aTtlEtcdCannotKeepIsRefused() {
    assertThatThrownBy(() -> registry.openPresence("server-a", Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl PT0.5S");
  }

  private long lease(String cn) {
    try {
      ByteSequence key = ByteSequence.from(config.keyPrefix() + "presence/" + cn,
          StandardCharsets.UTF_8);
      KeyValue entry = raw.getKVClient().get(key).get(5, TimeUnit.SECONDS).getKvs().get(0);
      return entry.getLease();
    } catch (Exception e) {
      throw new AssertionError("cannot read presence of " + cn, e);
    }
  }

  private static PresenceRecord record(String server) {
    return new PresenceRecord(server, "a1b2c3", "198.51.100.1:1",
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  private static void awaitTrue(BooleanSupplier condition, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RegistryException unavailable) {
        // etcd is still coming back: ask again
      }
      pause();
    }
    throw new AssertionError("condition not met within " + within);
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
