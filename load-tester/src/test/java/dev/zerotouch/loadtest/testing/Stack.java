package dev.zerotouch.loadtest.testing;

import dev.zerotouch.ca.CaServer;
import dev.zerotouch.ca.config.CaServerConfig;
import dev.zerotouch.ca.pki.CaKeyType;
import dev.zerotouch.ca.pki.DevPki;
import dev.zerotouch.registration.RegistrationServer;
import dev.zerotouch.registration.config.ServerConfig;
import dev.zerotouch.registration.config.ServerCredentials;
import dev.zerotouch.registry.EtcdRegistry;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryConfig;
import dev.zerotouch.registry.testing.EtcdExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The real stack in this JVM for a test class: a throwaway PKI made by the CA's own init code,
 * the CA server and the registration server on free loopback ports, both on one fresh key
 * prefix in the class's etcd. Heartbeats every second so that a run is short.
 */
public final class Stack implements AutoCloseable {

  public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

  private final Registry registry;
  private final CaServer ca;
  private final RegistrationServer server;

  public Stack(EtcdExtension etcd, Path dir) throws IOException {
    new DevPki().create(dir, CaKeyType.parse("ec256"), CaKeyType.parse("ec256"), Instant.now());
    Path caKey = dir.resolve(DevPki.CA_KEY);
    Path caCert = dir.resolve(DevPki.CA_CERT);
    Path serverKey = dir.resolve(DevPki.SERVER_KEY);
    Path serverCert = dir.resolve(DevPki.SERVER_CERT);
    RegistryConfig registryConfig = etcd.registryConfig();

    ca = CaServer.start(CaServerConfig.withDefaultTuning("127.0.0.1", 0, caKey, caCert,
        Duration.ofDays(1), registryConfig), Clock.systemUTC());
    registry = EtcdRegistry.connect(registryConfig);
    server = RegistrationServer.start(new ServerConfig("127.0.0.1", 0, 0, serverCert,
        serverKey, caCert, HEARTBEAT_INTERVAL, 3, Duration.ofSeconds(5), 1000, 0, false,
        "load-tester-test", Duration.ofMillis(300), 4, 1000, Duration.ofMillis(5),
        Duration.ofSeconds(5), Duration.ofMillis(100), registryConfig),
        ServerCredentials.load(serverCert, serverKey, caCert), registry);
  }

  public String caUrl() {
    return "http://127.0.0.1:" + ca.port();
  }

  /** {@code localhost:<port>}: the name the server's certificate carries. */
  public String serverAddress() {
    return "localhost:" + server.port();
  }

  /** The registry both servers write to. */
  public Registry registry() {
    return registry;
  }

  @Override
  public void close() {
    server.close();
    ca.close();
    registry.close();
  }
}
