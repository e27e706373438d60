package dev.zerotouch.ca.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.ca.CaServer;
import dev.zerotouch.ca.CaServerMain;
import dev.zerotouch.ca.TestPki;
import dev.zerotouch.ca.config.CaServerConfig;
import dev.zerotouch.ca.pki.CaKeyType;
import dev.zerotouch.registry.CertificateStatus;
import dev.zerotouch.registry.EtcdRegistry;
import dev.zerotouch.registry.Registry;
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
import picocli.CommandLine;

/** {@code ca-server revoke} against a real etcd: by CN, by serial, and nothing to revoke. */
@Timeout(60)
class RevokeCommandTest {
  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  @TempDir
  static Path pki;

  private static RegistryConfig registryConfig;
  private static CaServer server;
  private static CaClient client;
  private static Registry registry;
  private static KeyPair keys;

  @BeforeAll
  static void start() {
    registryConfig = ETCD.registryConfig();
    CaServerConfig config = CaServerConfig.withDefaultTuning("127.0.0.1", 0,
        pki.resolve("ca.key"), pki.resolve("ca.pem"), Duration.ofDays(30), registryConfig);
    server = CaServer.start(config, TestPki.ca(pki, CaKeyType.EC256),
        EtcdRegistry.connect(registryConfig), Clock.systemUTC());
    client = new CaClient(server.port());
    registry = EtcdRegistry.connect(registryConfig);
    keys = TestPki.ec("secp256r1");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void revokeByCnMarksTheDevicesCurrentCertificateRevoked() throws Exception {
    String serial = issue("revoke-by-cn");

    int code = revoke("--cn", "revoke-by-cn");

    assertThat(code).isZero();
    assertThat(registry.findCertificate(serial).orElseThrow().status())
        .isEqualTo(CertificateStatus.REVOKED);
  }

  @Test
  void revokeBySerialMarksThatCertificateRevoked() throws Exception {
    String serial = issue("revoke-by-serial");

    int code = revoke("--serial", serial);

    assertThat(code).isZero();
    assertThat(registry.findCertificate(serial).orElseThrow().status())
        .isEqualTo(CertificateStatus.REVOKED);
  }

  @Test
  void aRevokedDeviceIdIsRefusedWithAnyKeyAndNothingIsStored() throws Exception {
    String serial = issue("revoked-for-good");
    revoke("--cn", "revoked-for-good");
    KeyPair fresh = TestPki.ec("secp256r1");

    HttpResponse<String> sameKey = client.signCsr(TestPki.csr(keys, "CN=revoked-for-good"));
    HttpResponse<String> newKey = client.signCsr(TestPki.csr(fresh, "CN=revoked-for-good"));

    assertThat(sameKey.statusCode()).isEqualTo(409);
    assertThat(CaClient.json(sameKey).get("error").asText()).isEqualTo("cn_revoked");
    assertThat(newKey.statusCode()).isEqualTo(409);
    assertThat(CaClient.json(newKey).get("error").asText()).isEqualTo("cn_revoked");
    assertThat(registry.findCn("revoked-for-good").orElseThrow().serial()).isEqualTo(serial);
  }

  @Test
  void revokingAnUnknownDeviceFailsAndChangesNothing() {
    int code = revoke("--cn", "never-issued");

    assertThat(code).isEqualTo(1);
    assertThat(registry.findCn("never-issued")).isEmpty();
  }

  @Test
  void revokeNeedsExactlyOneOfSerialAndCn() {
    assertThat(revoke()).isEqualTo(2);
    assertThat(revoke("--cn", "a", "--serial", "1")).isEqualTo(2);
  }

  private static String issue(String cn) throws Exception {
    return CaClient.json(client.signCsr(TestPki.csr(keys, "CN=" + cn))).get("serial").asText();
  }

  private static int revoke(String... target) {
    String[] args = new String[target.length + 5];
    args[0] = "revoke";
    System.arraycopy(target, 0, args, 1, target.length);
    args[target.length + 1] = "--etcd-endpoints";
    args[target.length + 2] = ETCD.endpoint();
    args[target.length + 3] = "--etcd-prefix";
    args[target.length + 4] = registryConfig.keyPrefix();
    return new CommandLine(new CaServerMain()).execute(args);
  }
}
