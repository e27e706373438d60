package dev.zerotouch.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.device.config.DeviceClientConfig;
import dev.zerotouch.device.config.LogFormat;
import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.protocol.pki.KeyType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options as a user types them; the environment-variable defaults run in DeviceClientIT. */
class DeviceClientMainTest {
  private final StringWriter err = new StringWriter();

  private DeviceClientConfig parse(String... args) {
    DeviceClientMain main = new DeviceClientMain();
    new CommandLine(main).parseArgs(args);
    return main.config();
  }

  private int run(String... args) {
    CommandLine commandLine = new CommandLine(new DeviceClientMain());
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void withoutOptionsTheLocalStackDefaultsApply() {
    DeviceClientConfig config = parse();

    assertThat(config.caUrl()).isEqualTo(URI.create("http://localhost:8080"));
    assertThat(config.signCsrUrl()).isEqualTo(URI.create("http://localhost:8080/sign-csr"));
    assertThat(config.server()).isEqualTo(new ServerAddress("localhost", 8443));
    assertThat(config.identityDir()).isEqualTo(Path.of("./device-identity"));
    assertThat(config.deviceId()).isEmpty();
    assertThat(config.keyType()).isEqualTo(KeyType.RSA_2048);
    assertThat(config.heartbeats()).isEmpty();
    assertThat(config.caCert()).isEmpty();
    assertThat(config.attributes()).isEmpty();
    assertThat(config.retryFor()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.logFormat()).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void everyOptionReachesTheConfig() {
    DeviceClientConfig config = parse("--ca-url", "https://ca.example:9443/", "--server",
        "gw.example:9000", "--identity-dir", "/var/lib/device", "--device-id", "pump-7",
        "--key-type", "ec256", "--heartbeats", "5", "--ca-cert", "/etc/ca.pem",
        "--firmware-version", "2.3.1", "--attribute", "site=lyon,floor=2", "--attribute",
        "model=x1", "--retry-for", "30s", "--log-format", "json");

    assertThat(config.signCsrUrl()).isEqualTo(URI.create("https://ca.example:9443/sign-csr"));
    assertThat(config.server()).isEqualTo(new ServerAddress("gw.example", 9000));
    assertThat(config.identityDir()).isEqualTo(Path.of("/var/lib/device"));
    assertThat(config.deviceId()).contains("pump-7");
    assertThat(config.keyType()).isEqualTo(KeyType.EC_P256);
    assertThat(config.heartbeats()).isEqualTo(OptionalLong.of(5));
    assertThat(config.caCert()).isEqualTo(Optional.of(Path.of("/etc/ca.pem")));
    assertThat(config.firmwareVersion()).isEqualTo("2.3.1");
    assertThat(config.attributes())
        .isEqualTo(Map.of("site", "lyon", "floor", "2", "model", "x1"));
    assertThat(config.retryFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.logFormat()).isEqualTo(LogFormat.JSON);
  }

  @Test
  void anUnknownKeyTypeIsAUsageErrorNamingIt() {
    int exit = run("--key-type", "dsa1024");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("key type 'dsa1024' is not known");
  }

  @Test
  void anUnsafeDeviceIdIsAUsageError() {
    int exit = run("--device-id", "../etc/passwd");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--device-id '../etc/passwd' is not a safe device id");
  }

  @Test
  void zeroHeartbeatsIsAUsageError() {
    int exit = run("--heartbeats", "0");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--heartbeats 0 is not allowed");
  }

  @Test
  void aCaUrlThatIsNotHttpIsAUsageError() {
    int exit = run("--ca-url", "ftp://ca.example");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--ca-url 'ftp://ca.example' is not an http(s) URL");
  }

  @Test
  void aServerWithoutPortIsAUsageError() {
    int exit = run("--server", "localhost");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("server 'localhost' is not understood");
  }

  @Test
  void anUnreadableDurationIsAUsageError() {
    int exit = run("--retry-for", "soon");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("duration 'soon' is not understood");
  }

  @Test
  void anAttributeOverTheProtocolsLimitIsAUsageError() {
    int exit = run("--attribute", "note=" + "x".repeat(257));

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("is not allowed; expected a key of 1 to 64 bytes and a"
        + " value of at most 256 bytes");
  }

  @Test
  void helpExplainsEveryOptionItsVariableAndTheExitCodes() {
    int exit = run("--help");

    assertThat(exit).isEqualTo(ExitCodes.SUCCESS);
    assertThat(err.toString())
        .contains("--ca-url", "ZT_CA_URL", "--server", "ZT_SERVER", "--identity-dir",
            "ZT_IDENTITY_DIR", "--device-id", "ZT_DEVICE_ID", "--key-type", "ZT_KEY_TYPE",
            "--heartbeats", "ZT_HEARTBEATS", "--ca-cert", "ZT_SERVER_CA_CERT", "--log-format",
            "ZT_LOG_FORMAT", "--firmware-version", "--attribute", "--retry-for")
        .containsPattern("0 +success").containsPattern("2 +usage")
        .containsPattern("3 +refused").containsPattern("4 +unreachable")
        .containsPattern("130 +interrupted").contains("Exit codes:");
  }
}
