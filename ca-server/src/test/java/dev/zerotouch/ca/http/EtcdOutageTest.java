package dev.zerotouch.ca.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.ca.CaServer;
import dev.zerotouch.ca.TestPki;
import dev.zerotouch.ca.config.CaServerConfig;
import dev.zerotouch.ca.pki.CaCredentials;
import dev.zerotouch.ca.pki.CaKeyType;
import dev.zerotouch.registry.EtcdRegistry;
import dev.zerotouch.registry.RegistryConfig;
import dev.zerotouch.registry.testing.EtcdExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class EtcdOutageTest {
  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  @TempDir
  static Path pki;

  private static RegistryConfig registryConfig;
  private static CaServer server;
  private static CaClient client;

  @BeforeAll
  static void start() {
    CaCredentials credentials = TestPki.ca(pki, CaKeyType.EC256);
    registryConfig = ETCD.registryConfig();
    CaServerConfig config = new CaServerConfig("127.0.0.1", 0, pki.resolve("ca.key"),
        pki.resolve("ca.pem"), Duration.ofDays(365), registryConfig, 2, 1024, 2, 64,
        Duration.ZERO, Duration.ofSeconds(7));
    server = CaServer.start(config, credentials, EtcdRegistry.connect(registryConfig),
        Clock.systemUTC());
    client = new CaClient(server.port());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void etcdDownGives503WithRetryAfterThenTheSameCsrSucceedsAfterRestartWithNothingHalfWritten()
      throws Exception {
    KeyPair keys = TestPki.ec("secp256r1");
    String csr = TestPki.csr(keys, "CN=dev-outage-1");
    ETCD.stop();

    HttpResponse<String> refused = client.signCsr(csr);
    HttpResponse<String> health = client.get("/health");

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(CaClient.json(refused).get("error").asText()).isEqualTo("store_unavailable");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(CaClient.json(health).get("status").asText()).isEqualTo("DOWN");
    assertThat(CaClient.json(health).get("reason").asText()).isNotBlank();
    assertThat(client.get("/live").statusCode()).isEqualTo(200);

    ETCD.start();
    HttpResponse<String> accepted = retryUntilNot503(csr);

    assertThat(accepted.statusCode()).isEqualTo(201);
    assertThat(client.get("/health").statusCode()).isEqualTo(200);
    try (EtcdKeys etcd = new EtcdKeys(ETCD.endpoint())) {
      assertThat(etcd.count(registryConfig.keyPrefix() + "certs/")).isEqualTo(1);
      assertThat(etcd.count(registryConfig.keyPrefix() + "cns/")).isEqualTo(1);
    }
  }

  private static HttpResponse<String> retryUntilNot503(String csr) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> response = client.signCsr(csr);
    while (response.statusCode() == 503 && System.nanoTime() < deadline) {
      response = client.signCsr(csr);
    }
    return response;
  }
}
