package dev.zerotouch.registration.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.registry.Presence;
import dev.zerotouch.registry.PresenceRecord;
import dev.zerotouch.registry.Registry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@link PresenceSync} asks of the registry's {@link Presence}: requests made while a
 * write is under way go out together, and the newest request for a device wins.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PresenceSyncTest {

  private final List<Set<String>> announced = new CopyOnWriteArrayList<>();
  private final List<String> withdrawn = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstWriteStarted = new CountDownLatch(1);
  private final CountDownLatch releaseFirstWrite = new CountDownLatch(1);
  private final CountDownLatch secondWriteDone = new CountDownLatch(1);
  private PresenceSync sync;

  /** Records every call; the first write waits for the test to release it. */
  private final Presence presence = new Presence() {
    @Override
    public void announce(String cn, PresenceRecord record) {
      announceAll(Map.of(cn, record));
    }

    @Override
    public void announceAll(Map<String, PresenceRecord> records) {
      announced.add(Set.copyOf(records.keySet()));
      if (announced.size() == 1) {
        firstWriteStarted.countDown();
        await(releaseFirstWrite);
      } else {
        secondWriteDone.countDown();
      }
    }

    @Override
    public void withdraw(String cn) {
      withdrawn.add(cn);
    }

    @Override
    public boolean healthy() {
      return true;
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void start() {
    Registry registry = (Registry) Proxy.newProxyInstance(Registry.class.getClassLoader(),
        new Class<?>[] {Registry.class},
        (proxy, method, args) -> method.getName().equals("openPresence") ? presence : null);
    sync = new PresenceSync(registry, "server-test", Duration.ofSeconds(5));
    sync.start();
  }

  @AfterEach
  void stop() {
    releaseFirstWrite.countDown();
    sync.close();
  }

  @Test
  void devicesRegisteredDuringAWriteAreAnnouncedTogetherInTheNext() throws Exception {
    sync.announce("dev-first", record());
    await(firstWriteStarted);

    for (int i = 0; i < 50; i++) {
      sync.announce("dev-" + i, record());
    }
    releaseFirstWrite.countDown();
    await(secondWriteDone);

    assertThat(announced).hasSize(2);
    assertThat(announced.get(0)).containsExactly("dev-first");
    assertThat(announced.get(1)).hasSize(50).contains("dev-0", "dev-49");
  }

  @Test
  void aDeviceThatLeftBeforeItsPresenceWasWrittenIsOnlyWithdrawn() throws Exception {
    sync.announce("dev-first", record());
    await(firstWriteStarted);

    sync.announce("dev-brief", record());
    sync.withdraw("dev-brief");
    sync.announce("dev-staying", record());
    releaseFirstWrite.countDown();
    await(secondWriteDone);

    assertThat(announced.get(1)).containsExactly("dev-staying");
    assertThat(withdrawn).containsExactly("dev-brief");
  }

  private static PresenceRecord record() {
    return new PresenceRecord("server-test", "ab12", "198.51.100.1:1", Instant.now());
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(5, TimeUnit.SECONDS)).as("waited for the presence writer").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
