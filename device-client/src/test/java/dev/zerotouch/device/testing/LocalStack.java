package dev.zerotouch.device.testing;

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
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The real stack for the end-to-end tests, in this JVM: a PKI made by the CA's {@code init}
 * code, the CA server and the registration server on loopback (free ports, kept across
 * restarts), both on a key prefix of their own in the test's etcd. The registration server
 * asks for a heartbeat every {@link #HEARTBEAT_INTERVAL}.
 */
public final class LocalStack implements AutoCloseable {
  public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

  private final Path pki;
  private final RegistryConfig registryConfig;
  private final Registry registry;
  private CaServer ca;
  private RegistrationServer registration;
  private int caPort;
  private int registrationPort;

  public LocalStack(EtcdExtension etcd, Path workDir) throws IOException {
    preloadClassesOf(CaServer.class, RegistrationServer.class, Registry.class);
    this.pki = workDir.resolve("pki");
    new DevPki().create(pki, CaKeyType.EC256, CaKeyType.EC256, Instant.now());
    this.registryConfig = etcd.registryConfig();
    this.registry = EtcdRegistry.connect(registryConfig);
  }

  /**
   * Loads every class of the jars these classes come from. The servers' jars are read from
   * the local Maven repository, which a sibling module's build may rewrite while this suite
   * runs; a class loaded lazily after such a rewrite fails to load and breaks a server in the
   * middle of a test. Loading them up front keeps the servers whole.
   */
  private static void preloadClassesOf(Class<?>... anchors) throws IOException {
    for (Class<?> anchor : anchors) {
      Path location;
      try {
        location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (URISyntaxException e) {
        throw new IOException("cannot locate the jar of " + anchor, e);
      }
      if (!Files.isRegularFile(location)) {
        continue;
      }
      try (JarFile jar = new JarFile(location.toFile())) {
        jar.stream()
            .map(JarEntry::getName)
            .filter(name -> name.endsWith(".class") && !name.contains("-"))
            .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
            .forEach(name -> load(name, anchor.getClassLoader()));
      }
    }
  }

  private static void load(String className, ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      // a class needing an optional library that is absent; the servers do not use it here
    }
  }

  public synchronized void startCa() {
    if (ca != null) {
      return;
    }
    CaServerConfig config = CaServerConfig.withDefaultTuning("127.0.0.1", caPort,
        pki.resolve(DevPki.CA_KEY), pki.resolve(DevPki.CA_CERT), Duration.ofDays(30),
        registryConfig);
    ca = CaServer.start(config, Clock.systemUTC());
    caPort = ca.port();
  }

  /** Stops the CA: nothing listens on its port until {@link #startCa()}. */
  public synchronized void stopCa() {
    if (ca != null) {
      try {
        ca.close();
      } finally {
        ca = null;
      }
    }
  }

  public synchronized void startRegistration() {
    if (registration != null) {
      return;
    }
    Path cert = pki.resolve(DevPki.SERVER_CERT);
    Path key = pki.resolve(DevPki.SERVER_KEY);
    Path caCert = pki.resolve(DevPki.CA_CERT);
    ServerConfig config = new ServerConfig("127.0.0.1", registrationPort, 0, cert, key, caCert,
        HEARTBEAT_INTERVAL, 3, Duration.ofSeconds(5), 100, 0, false, "device-client-test",
        Duration.ofMillis(300), 2, 100, Duration.ofMillis(5), Duration.ofSeconds(5),
        Duration.ofMillis(100), registryConfig);
    registration = RegistrationServer.start(config,
        ServerCredentials.load(cert, key, caCert), EtcdRegistry.connect(registryConfig));
    registrationPort = registration.port();
  }

  public synchronized void stopRegistration() {
    if (registration != null) {
      try {
        registration.close();
      } finally {
        registration = null;
      }
    }
  }

  public synchronized String caUrl() {
    return "http://127.0.0.1:" + caPort;
  }

  /** The registration server by a name its certificate carries. */
  public synchronized String server() {
    return "localhost:" + registrationPort;
  }

  public synchronized int registrationPort() {
    return registrationPort;
  }

  public Path caCertificate() {
    return pki.resolve(DevPki.CA_CERT);
  }

  public Registry registry() {
    return registry;
  }

  @Override
  public synchronized void close() {
    stopRegistration();
    stopCa();
    registry.close();
  }
}
