package dev.zerotouch.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zerotouch.ca.pki.CaKeyType;
import dev.zerotouch.ca.pki.DevPki;
import dev.zerotouch.device.identity.IdentityStore;
import dev.zerotouch.device.identity.PendingIdentity;
import dev.zerotouch.device.provisioning.IssuedCertificate;
import dev.zerotouch.device.provisioning.Provisioner;
import dev.zerotouch.device.provisioning.ProvisioningListener;
import dev.zerotouch.device.retry.Backoff;
import dev.zerotouch.device.testing.DeviceProcess;
import dev.zerotouch.device.testing.LocalStack;
import dev.zerotouch.device.testing.TestCa;
import dev.zerotouch.protocol.pki.Pem;
import dev.zerotouch.protocol.pki.KeyType;
import dev.zerotouch.registry.CertificateStatus;
import dev.zerotouch.registry.DeviceRecord;
import dev.zerotouch.registry.testing.EtcdExtension;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device client's own process against the real CA server, registration server and etcd,
 * asserting what the person running the device sees, the files it keeps and what etcd holds.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DeviceClientEndToEndTest {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(45);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  @TempDir
  static Path work;

  private static LocalStack stack;

  @TempDir
  Path device;

  @BeforeAll
  static void startStack() throws IOException {
    stack = new LocalStack(ETCD, work);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @BeforeEach
  void serversRunning() {
    stack.startCa();
    stack.startRegistration();
  }

  private Map<String, String> env(Path identityDir) {
    Map<String, String> env = new HashMap<>();
    env.put("ZT_CA_URL", stack.caUrl());
    env.put("ZT_SERVER", stack.server());
    env.put("ZT_IDENTITY_DIR", identityDir.toString());
    return env;
  }

  /** Provisions an identity the way the client does, without a client run of its own. */
  private static void provision(Path identity, String deviceId) {
    KeyPair keyPair = KeyType.EC_P256.generate();
    IdentityStore store = new IdentityStore(identity);
    PendingIdentity pending = store.stage(deviceId, keyPair);
    IssuedCertificate issued = provisioner().provision(deviceId, keyPair,
        ProvisioningListener.NONE);
    store.complete(pending, issued.certificate(), issued.caChain());
  }

  private static Provisioner provisioner() {
    return Provisioner.create(URI.create(stack.caUrl() + "/sign-csr"),
        Backoff.giveUpAfter(Duration.ofSeconds(5)));
  }

  @Test
  void firstRunProvisionsOwnerOnlyFilesRegistersAndHeartbeats() throws IOException {
    Path identity = device.resolve("device-identity");
    Map<String, String> env = env(identity);
    env.put("ZT_HEARTBEATS", "2");

    DeviceProcess.Result run = DeviceProcess.run(RUN_TIMEOUT, env, "--device-id", "meter-1",
        "--attribute", "site=lyon", "--firmware-version", "1.2.3");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.SUCCESS);
    assertThat(run.output()).contains(
        "No identity in " + identity + ": provisioning device meter-1 (from --device-id)",
        "Generating RSA-2048 key pair...",
        "Sending CSR to " + stack.caUrl() + "/sign-csr...",
        "Certificate received: serial ",
        "Identity saved to " + identity,
        "Connecting to " + stack.server() + " (mutual TLS)...",
        "Registered as meter-1 (first registration) — heartbeat every 1s",
        "Heartbeat 1 acknowledged (rtt ",
        "Heartbeat 2 acknowledged (rtt ",
        "Connection closed after 2 acknowledged heartbeats");
    assertThat(run.output()).doesNotContain("BEGIN PRIVATE KEY", "WARN", "ERROR");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(identity.resolve("device.key")))).isEqualTo("rw-------");
    assertThat(Files.readString(identity.resolve("device-id")).trim()).isEqualTo("meter-1");
    assertThat(identity.resolve("device.pem")).isRegularFile();
    assertThat(identity.resolve("ca.pem")).hasSameTextualContentAs(stack.caCertificate());

    String serial = new IdentityStore(identity).load().serial();
    DeviceRecord record = stack.registry().findDevice("meter-1").orElseThrow();
    assertThat(record.registrationCount()).isEqualTo(1);
    assertThat(record.serial()).isEqualTo(serial);
    assertThat(record.attributes()).containsEntry("site", "lyon");
    assertThat(run.output()).contains("Certificate received: serial " + serial);
  }

  @Test
  void laterRunUsesTheIdentityOnDiskWithoutTheCa() {
    Path identity = device.resolve("id");
    provision(identity, "meter-2");

    stack.stopCa();
    DeviceProcess.Result second = DeviceProcess.run(RUN_TIMEOUT, env(identity),
        "--heartbeats", "1");

    assertThat(second.exitCode()).as(second.output()).isEqualTo(ExitCodes.SUCCESS);
    assertThat(second.output()).contains("Identity found on disk, loading...",
        "Loaded identity of meter-2 from " + identity,
        "Registered as meter-2 (first registration) — heartbeat every 1s",
        "Heartbeat 1 acknowledged");
    assertThat(second.output()).doesNotContain("Sending CSR", "Generating");
    assertThat(stack.registry().findDevice("meter-2")).isPresent();
  }

  @Test
  void corruptKeyFileIsReportedAsRefusedAndLeftUntouched() throws IOException {
    Path identity = device.resolve("id");
    provision(identity, "meter-7");
    Path key = identity.resolve("device.key");
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
    byte[] corrupt = Files.readAllBytes(key);

    DeviceProcess.Result run = DeviceProcess.run(RUN_TIMEOUT, env(identity), "--heartbeats", "1");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.output()).contains("Identity found on disk, loading...",
        "ERROR: The identity in " + identity + " is not usable: device.key is not a readable"
            + " private key",
        "Nothing was changed. Move " + identity + " away (or remove it) and run again");
    assertThat(run.output()).doesNotContain("Sending CSR", "Connecting to");
    assertThat(Files.readAllBytes(key)).isEqualTo(corrupt);
    assertThat(identity.resolve("device.pem")).isRegularFile();
  }

  @Test
  void caRefusalPrintsTheCaCodeAndMessageAndExitsRefused() {
    provision(device.resolve("a"), "meter-3");

    DeviceProcess.Result run = DeviceProcess.run(RUN_TIMEOUT, env(device.resolve("b")),
        "--device-id", "meter-3", "--key-type", "ec256");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.output()).contains("ERROR: The CA refused the CSR (HTTP 409, cn_conflict: ");
    assertThat(run.output()).doesNotContain("Retrying", "Connecting to");
    assertThat(device.resolve("b")).doesNotExist();
  }

  @Test
  void crashAfterTheCsrWasSentResumesWithTheSameKeyAsAReissueLoggingJson() throws IOException {
    Path identity = device.resolve("id");
    KeyPair keyPair = KeyType.EC_P256.generate();
    IdentityStore store = new IdentityStore(identity);
    PendingIdentity pending = store.stage("meter-4", keyPair);
    IssuedCertificate lost = provisioner().provision(pending.deviceId(), keyPair,
        ProvisioningListener.NONE);

    Map<String, String> jsonLog = env(identity);
    jsonLog.put("ZT_LOG_FORMAT", "json");

    DeviceProcess.Result run = DeviceProcess.run(RUN_TIMEOUT, jsonLog, "--heartbeats", "1");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.SUCCESS);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.output().split("\n")) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).extracting(line -> line.path("message").asText()).contains(
        "Resuming the unfinished provisioning of meter-4 with the key saved in "
            + store.stagingDirectory(),
        "Registered as meter-4 (first registration) — heartbeat every 1s")
        .noneMatch(message -> message.startsWith("Generating"));
    JsonNode received = lines.stream()
        .filter(line -> line.path("message").asText().startsWith("Certificate received"))
        .findFirst().orElseThrow();
    assertThat(received.path("level").asText()).isEqualTo("INFO");
    assertThat(received.path("serial").asText()).isEqualTo(store.load().serial());
    assertThat(received.path("not_after").asText()).isNotEmpty();
    assertThat(store.load().privateKey().getEncoded())
        .isEqualTo(keyPair.getPrivate().getEncoded());
    assertThat(store.load().serial()).isNotEqualTo(lost.serial());
    assertThat(stack.registry().findCertificate(lost.serial()).orElseThrow().status())
        .isEqualTo(CertificateStatus.SUPERSEDED);
  }

  @Test
  void unreachableCaExitsUnreachableAndTheNextRunResumesWithTheSavedKey() throws IOException {
    Path identity = device.resolve("id");
    Map<String, String> deadCa = env(identity);
    deadCa.put("ZT_CA_URL", "http://127.0.0.1:1");

    DeviceProcess.Result failed = DeviceProcess.run(RUN_TIMEOUT, deadCa, "--key-type", "ec256",
        "--retry-for", "1s");
    assertThat(failed.exitCode()).as(failed.output()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(failed.output()).contains(
        "WARN: The CA at http://127.0.0.1:1/sign-csr cannot be reached (connection refused)."
            + " Retrying in ",
        "ERROR: The CA at http://127.0.0.1:1/sign-csr cannot be reached (connection refused)."
            + " Gave up after ");
    assertThat(identity).doesNotExist();
    String stagedKey = Files.readString(
        new IdentityStore(identity).stagingDirectory().resolve("device.key"));

    DeviceProcess.Result resumed = DeviceProcess.run(RUN_TIMEOUT, env(identity),
        "--heartbeats", "1");

    assertThat(resumed.exitCode()).as(resumed.output()).isEqualTo(ExitCodes.SUCCESS);
    assertThat(resumed.output()).contains("Resuming the unfinished provisioning");
    assertThat(Files.readString(identity.resolve("device.key"))).isEqualTo(stagedKey);
  }

  @Test
  void registrationServerRestartWhileHeartbeatingLeadsToReconnectAndReregistration() {
    try (DeviceProcess client = DeviceProcess.start(env(device.resolve("id")), "--device-id",
        "meter-5", "--key-type", "ec256", "--heartbeats", "3")) {
      client.awaitLine("Heartbeat 1 acknowledged", RUN_TIMEOUT);

      stack.stopRegistration();
      client.awaitLine("Reconnecting in", RUN_TIMEOUT);
      stack.startRegistration();
      int exit = client.waitFor(RUN_TIMEOUT);

      assertThat(exit).as(client.output()).isEqualTo(ExitCodes.SUCCESS);
      assertThat(client.output()).contains(
          "Registered as meter-5 (first registration)",
          "WARN: The registration server cannot take the device right now (shutting_down",
          "Registered as meter-5 (again after reconnecting) — heartbeat every 1s",
          "Heartbeat 3 acknowledged");
    }
    assertThat(stack.registry().findDevice("meter-5").orElseThrow().registrationCount())
        .isEqualTo(2);
  }

  @Test
  void interruptClosesTheConnectionCleanly() throws Exception {
    try (DeviceProcess client = DeviceProcess.start(env(device.resolve("id")), "--device-id",
        "meter-6", "--key-type", "ec256")) {
      client.awaitLine("Heartbeat 1 acknowledged", RUN_TIMEOUT);
      assertThat(stack.registry().findPresence("meter-6")).isPresent();

      client.interrupt();
      client.waitFor(RUN_TIMEOUT);

      assertThat(client.output()).contains("Interrupted: closing the connection...",
          "Connection closed after ");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (stack.registry().findPresence("meter-6").isPresent()
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(stack.registry().findPresence("meter-6")).isEmpty();
  }

  @Test
  void aServerCertificateFromAnotherCaIsRefusedNamingTheServersCertificate() throws IOException {
    Path identity = device.resolve("id");
    provision(identity, "meter-8");
    Path otherPki = device.resolve("other-pki");
    new DevPki().create(otherPki, CaKeyType.EC256, CaKeyType.EC256, Instant.now());

    DeviceProcess.Result run = DeviceProcess.run(RUN_TIMEOUT, env(identity), "--heartbeats",
        "1", "--ca-cert", otherPki.resolve("ca.pem").toString());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.output()).contains(
        "ERROR: The registration server's certificate is not trusted by this device");
    assertThat(run.output()).doesNotContain("Reconnecting");
  }

  @Test
  void aDeviceCertificateFromAnotherCaIsRefusedByTheServerNamingOurCertificate()
      throws IOException {
    Path identity = device.resolve("id");
    KeyPair keyPair = KeyType.EC_P256.generate();
    IdentityStore store = new IdentityStore(identity);
    PendingIdentity pending = store.stage("meter-10", keyPair);
    X509Certificate stackCa = Pem.readCertificate(Files.readString(stack.caCertificate()));
    store.complete(pending, new TestCa().issue("meter-10", keyPair.getPublic()),
        List.of(stackCa));

    DeviceProcess.Result run = DeviceProcess.run(RUN_TIMEOUT, env(identity), "--heartbeats",
        "1");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.output()).contains("ERROR: The registration server " + stack.server()
        + " refused this device's certificate (TLS alert ");
    assertThat(run.output()).doesNotContain("Reconnecting", "Registered as");
  }

  @Test
  void aRevokedCertificateIsRefusedWithTheServersCode() {
    Path identity = device.resolve("id");
    provision(identity, "meter-11");
    stack.registry().revoke(new IdentityStore(identity).load().serial());

    DeviceProcess.Result run = DeviceProcess.run(RUN_TIMEOUT, env(identity), "--heartbeats",
        "1");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.output()).contains(
        "ERROR: The registration server refused the device (certificate_revoked: ");
    assertThat(run.output()).doesNotContain("Reconnecting", "Registered as");
  }

  @Test
  void unreachableRegistrationServerExitsUnreachableAfterBoundedRetries() {
    Path identity = device.resolve("id");
    provision(identity, "meter-9");

    DeviceProcess.Result run = DeviceProcess.run(RUN_TIMEOUT, env(identity), "--server",
        "localhost:1", "--retry-for", "1s");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.output()).contains("Connecting to localhost:1 (mutual TLS)...",
        "WARN: The registration server localhost:1 cannot be reached",
        "Reconnecting in", "Gave up after ");
  }
}
