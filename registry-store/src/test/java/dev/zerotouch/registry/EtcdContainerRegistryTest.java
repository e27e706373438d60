package dev.zerotouch.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The registry scenarios against the official etcd 3.5 image, the one Docker Compose runs.
 * Needs a Docker API (on the build machines: {@code compose-sandbox service
 * quay.io/coreos/etcd:v3.5.17}); where there is none the whole class is reported as skipped.
 * The same scenarios run everywhere against an etcd process in {@link EtcdProcessRegistryTest}.
 */
@Testcontainers(disabledWithoutDocker = true)
class EtcdContainerRegistryTest extends RegistryScenarios {

  static final String IMAGE = "quay.io/coreos/etcd:v3.5.17";
  private static final int CLIENT_PORT = 2379;
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  /**
   * etcd requires an advertised client URL; the host's mapped port is only known once the
   * container runs, so it advertises its own address. jetcd talks only to the endpoint it is
   * given ({@link #newConfig}), never to the advertised one.
   */
  @Container
  static final GenericContainer<?> ETCD = new GenericContainer<>(DockerImageName.parse(IMAGE))
      .withExposedPorts(CLIENT_PORT)
      .withCommand("/usr/local/bin/etcd",
          "--name", "zt-container",
          "--data-dir", "/tmp/etcd-data",
          "--listen-client-urls", "http://0.0.0.0:" + CLIENT_PORT,
          "--advertise-client-urls", "http://127.0.0.1:" + CLIENT_PORT,
          "--listen-peer-urls", "http://127.0.0.1:2380",
          "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
          "--initial-cluster", "zt-container=http://127.0.0.1:2380",
          "--log-level", "warn")
      .waitingFor(Wait.forHttp("/health").forPort(CLIENT_PORT)
          .withStartupTimeout(Duration.ofSeconds(60)));

  @Override
  protected RegistryConfig newConfig() {
    String endpoint = "http://" + ETCD.getHost() + ":" + ETCD.getMappedPort(CLIENT_PORT);
    return new RegistryConfig(List.of(endpoint), "/zt-container-" + PREFIXES.incrementAndGet()
        + "/", Duration.ofSeconds(2));
  }
}
