package dev.zerotouch.registration.testing;

import dev.zerotouch.registration.RegistrationServer;
import dev.zerotouch.registration.config.ServerConfig;
import dev.zerotouch.registration.config.ServerCredentials;
import dev.zerotouch.registry.EtcdRegistry;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryConfig;
import dev.zerotouch.registry.testing.EtcdExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A registration server on loopback for one test class: a test PKI, the server's files in a
 * temporary directory, a registry under a prefix of its own in the class's etcd, and short
 * intervals (heartbeat 1s unless given, 2 misses, handshake and register timeout 2s).
 */
public final class ServerFixture implements AutoCloseable {

  public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  public static final int HEARTBEAT_MISSES = 2;
  public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);

  private final TestPki pki = TestPki.create("Test Device CA");
  private final Path dir;
  private final Registry registry;
  private final RegistrationServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  public ServerFixture(EtcdExtension etcd, Duration etcdTimeout, Duration heartbeatInterval)
      throws IOException {
    this(etcd, etcdTimeout, heartbeatInterval, 100);
  }

  public ServerFixture(EtcdExtension etcd, Duration etcdTimeout, Duration heartbeatInterval,
      int maxConnections) throws IOException {
    dir = Files.createTempDirectory("zt-reg-test");
    TestPki.ServerFiles files = pki.writeServerFiles(dir);
    RegistryConfig registryConfig = new RegistryConfig(List.of(etcd.endpoint()),
        "/test-" + UUID.randomUUID() + "/", etcdTimeout);
    ServerConfig config = new ServerConfig("127.0.0.1", 0, 0, files.cert(), files.key(),
        files.caCert(), heartbeatInterval, HEARTBEAT_MISSES, HANDSHAKE_TIMEOUT, maxConnections,
        0, false,
        "test-server", Duration.ofMillis(300), 4, 100, Duration.ofMillis(5), Duration.ofSeconds(5),
        Duration.ofMillis(100), registryConfig);
    registry = EtcdRegistry.connect(registryConfig);
    server = RegistrationServer.start(config,
        ServerCredentials.load(files.cert(), files.key(), files.caCert()), registry);
  }

  public ServerFixture(EtcdExtension etcd) throws IOException {
    this(etcd, Duration.ofSeconds(2), HEARTBEAT_INTERVAL);
  }

  public TestPki pki() {
    return pki;
  }

  public Registry registry() {
    return registry;
  }

  public RegistrationServer server() {
    return server;
  }

  /** A device whose certificate is issued and recorded in the registry, as the CA would. */
  public TestPki.Identity issuedDevice(String cn) {
    TestPki.Identity device = pki.device(cn);
    registry.issue(device.record());
    return device;
  }

  public TestClient connect(TestPki.Identity identity) throws IOException {
    return TestClient.connect(server.port(), identity, pki.caCertificate());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.healthPort() + path))
        .timeout(Duration.ofSeconds(10)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Closes the server (idempotent), the registry and the files. */
  @Override
  public void close() throws IOException {
    server.close();
    registry.close();
    try (var paths = Files.list(dir)) {
      for (Path path : paths.toList()) {
        Files.delete(path);
      }
    }
    Files.delete(dir);
  }
}
