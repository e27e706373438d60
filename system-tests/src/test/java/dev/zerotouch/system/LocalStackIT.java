package dev.zerotouch.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.registry.DeviceRecord;
import dev.zerotouch.registry.EtcdRegistry;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.testing.EtcdExtension;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ./demo.sh does, as a test: the CA and registration server jars run as processes against
 * a real etcd, and the device client jar provisions, registers, then reuses its identity with
 * the CA stopped.
 */
@Timeout(240)
class LocalStackIT {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  private static final String PREFIX = "/zerotouch-e2e/";
  private static final Duration START_LIMIT = Duration.ofSeconds(60);

  @TempDir
  static Path work;

  private static JarProcess ca;
  private static JarProcess registration;
  private static int caPort;
  private static int regPort;
  private static int regHealthPort;

  @BeforeAll
  static void startStack() throws Exception {
    Path certs = work.resolve("certs");
    JarProcess.Result init = JarProcess.run("ca-server", work, Map.of("ZT_LOG_FORMAT", "text"),
        Duration.ofSeconds(60), "init", "--out", certs.toString());
    assertThat(init.exitCode()).as(init.output()).isZero();

    caPort = JarProcess.freePort();
    regPort = JarProcess.freePort();
    regHealthPort = JarProcess.freePort();
    Map<String, String> etcd = Map.of(
        "ZT_ETCD_ENDPOINTS", ETCD.endpoint(),
        "ZT_ETCD_PREFIX", PREFIX);

    Map<String, String> caEnv = new HashMap<>(etcd);
    caEnv.put("ZT_CA_BIND", "127.0.0.1");
    caEnv.put("ZT_CA_PORT", Integer.toString(caPort));
    caEnv.put("ZT_CA_KEY", certs.resolve("ca.key").toString());
    caEnv.put("ZT_CA_CERT", certs.resolve("ca.pem").toString());
    ca = JarProcess.start("ca-server", work, caEnv);

    Map<String, String> regEnv = new HashMap<>(etcd);
    regEnv.put("ZT_REG_BIND", "127.0.0.1");
    regEnv.put("ZT_REG_PORT", Integer.toString(regPort));
    regEnv.put("ZT_REG_HEALTH_PORT", Integer.toString(regHealthPort));
    regEnv.put("ZT_REG_CERT", certs.resolve("server.pem").toString());
    regEnv.put("ZT_REG_KEY", certs.resolve("server.key").toString());
    regEnv.put("ZT_REG_CA_CERT", certs.resolve("ca.pem").toString());
    regEnv.put("ZT_REG_HEARTBEAT_INTERVAL", "1s");
    registration = JarProcess.start("registration-server", work, regEnv);

    ca.awaitHealthy(caPort, START_LIMIT);
    registration.awaitHealthy(regHealthPort, START_LIMIT);
  }

  @AfterAll
  static void stopStack() {
    if (registration != null) {
      registration.close();
    }
    if (ca != null) {
      ca.close();
    }
  }

  @Test
  void deviceProvisionsThenReusesItsIdentityWithTheCaStopped() throws Exception {
    Path identity = work.resolve("device-identity");
    String deviceId = "e2e-device-1";

    JarProcess.Result first = runDevice(identity, deviceId, "2");

    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.output()).contains("Registered").contains(deviceId);
    Path key = identity.resolve("device.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(key)).doesNotContain("CERTIFICATE");
    assertThat(first.output()).doesNotContain("PRIVATE KEY");

    try (Registry registry = EtcdRegistry.connect(ETCD.registryConfig(PREFIX))) {
      Optional<DeviceRecord> device = registry.findDevice(deviceId);
      assertThat(device).isPresent();
      assertThat(device.get().registrationCount()).isEqualTo(1);
    }

    ca.close();
    JarProcess.Result second = runDevice(identity, deviceId, "1");

    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("Identity found on disk").contains("Registered");
    try (Registry registry = EtcdRegistry.connect(ETCD.registryConfig(PREFIX))) {
      assertThat(registry.findDevice(deviceId).orElseThrow().registrationCount()).isEqualTo(2);
    }
    assertThat(JarProcess.body(URI.create("http://127.0.0.1:" + regHealthPort + "/health")))
        .contains("\"status\"").contains("UP");
  }

  private JarProcess.Result runDevice(Path identity, String deviceId, String heartbeats)
      throws InterruptedException {
    return JarProcess.run("device-client", work, Map.of(), Duration.ofSeconds(90),
        "--ca-url", "http://127.0.0.1:" + caPort,
        "--server", "localhost:" + regPort,
        "--identity-dir", identity.toString(),
        "--device-id", deviceId,
        "--heartbeats", heartbeats);
  }
}
