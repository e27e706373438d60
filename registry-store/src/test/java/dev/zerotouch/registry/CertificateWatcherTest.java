package dev.zerotouch.registry;

import static dev.zerotouch.registry.TestCertificates.certificate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.registry.testing.EtcdExtension;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The certificate watch's catch-up when etcd compacted the revision it resumes from. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CertificateWatcherTest {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  @Test
  void aWatchFromACompactedRevisionDeliversWhatChangedSinceAndLaterChangesToo()
      throws Exception {
    RegistryConfig config = ETCD.registryConfig();
    try (Registry registry = EtcdRegistry.connect(config);
        Client client = Client.builder().endpoints(ETCD.endpoint()).build()) {
      CertificateRecord missed = certificate("compacted-1");
      CertificateRecord later = certificate("compacted-2");
      CertificateRecord untouched = certificate("compacted-3");
      registry.issue(missed);
      registry.issue(later);
      registry.issue(untouched);
      long from = revisionOf(client, config);
      registry.revoke(missed.serial());
      client.getKVClient().compact(revisionOf(client, config)).get(5, TimeUnit.SECONDS);
      EtcdKv kv = new EtcdKv(client.getKVClient(), new EtcdCalls(Duration.ofSeconds(2)));
      BlockingQueue<CertificateRecord> seen = new LinkedBlockingQueue<>();

      try (CertificateWatcher watcher = new CertificateWatcher(client.getWatchClient(), kv,
          new Keys(config.keyPrefix()), seen::add)) {
        watcher.startFrom(from);

        assertThat(seen.poll(10, TimeUnit.SECONDS)).extracting(CertificateRecord::serial)
            .isEqualTo(missed.serial());
        registry.revoke(later.serial());
        assertThat(seen.poll(10, TimeUnit.SECONDS)).extracting(CertificateRecord::serial)
            .isEqualTo(later.serial());
        assertThat(seen.poll(300, TimeUnit.MILLISECONDS)).isNull();
      }
    }
  }

  private static long revisionOf(Client client, RegistryConfig config) throws Exception {
    return client.getKVClient().get(new Keys(config.keyPrefix()).directory(""))
        .get(5, TimeUnit.SECONDS).getHeader().getRevision();
  }
}
