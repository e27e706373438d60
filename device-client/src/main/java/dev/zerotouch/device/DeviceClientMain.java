package dev.zerotouch.device;

import dev.zerotouch.device.config.DeviceClientConfig;
import dev.zerotouch.device.config.LogFormat;
import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.protocol.config.DurationConverter;
import dev.zerotouch.protocol.pki.KeyType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The device client's command line: {@code java -jar device-client.jar --help}. */
@Command(
    name = "device-client",
    mixinStandardHelpOptions = true,
    version = "zerotouch device-client 0.1.0",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
        "A zero-touch device. The first run makes a key pair and a CSR with the device id as",
        "Common Name, gets it signed by the CA (POST <ca-url>/sign-csr), keeps key, certificate",
        "and CA chain in the identity directory, then registers with the registration server",
        "over mutual TLS and sends heartbeats at the interval the server asks for. Later runs",
        "find the identity on disk and go straight to the registration server.",
        "",
        "Every option can also be set with the environment variable shown with it.",
        ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success: registered, and every heartbeat asked for acknowledged",
        "2:usage: an option or environment variable is wrong",
        "3:refused: the CA refused the CSR, TLS refused a certificate, the server refused the "
            + "device, or the identity on disk is corrupt; retrying will not help",
        "4:unreachable: the CA or the registration server stayed unreachable or unavailable "
            + "through every retry (see --retry-for)",
        "130:interrupted: Ctrl-C (SIGINT); the connection was closed cleanly"})
public final class DeviceClientMain implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--ca-url", paramLabel = "URL",
      defaultValue = "${env:ZT_CA_URL:-http://localhost:8080}",
      description = "The CA's base URL; used only when the device has no identity yet "
          + "(env ZT_CA_URL, default ${DEFAULT-VALUE}).")
  private String caUrl;

  @Option(names = "--server", paramLabel = "HOST:PORT",
      defaultValue = "${env:ZT_SERVER:-localhost:8443}",
      description = "The registration server. Its certificate must carry HOST "
          + "(env ZT_SERVER, default ${DEFAULT-VALUE}).")
  private String server;

  @Option(names = "--identity-dir", paramLabel = "DIR",
      defaultValue = "${env:ZT_IDENTITY_DIR:-./device-identity}",
      description = "Where the device keeps its identity: key (0600), certificate, CA chain "
          + "and device id, in a directory only its owner may enter (0700)%n"
          + "(env ZT_IDENTITY_DIR, default ${DEFAULT-VALUE}).")
  private Path identityDir;

  @Option(names = "--device-id", paramLabel = "ID", defaultValue = "${env:ZT_DEVICE_ID}",
      description = "The device id (the certificate's Common Name) for the first run: letters,"
          + " digits, '.', '_', '-', at most 64. Default: generated once and kept "
          + "(env ZT_DEVICE_ID).")
  private String deviceId;

  @Option(names = "--key-type", paramLabel = "TYPE",
      defaultValue = "${env:ZT_KEY_TYPE:-rsa2048}",
      description = "The key pair made on the first run: rsa2048 or ec256 "
          + "(env ZT_KEY_TYPE, default ${DEFAULT-VALUE}).")
  private String keyType;

  @Option(names = "--heartbeats", paramLabel = "N", defaultValue = "${env:ZT_HEARTBEATS}",
      description = "Stop cleanly after N acknowledged heartbeats. Default: run until "
          + "interrupted (Ctrl-C closes the connection cleanly) (env ZT_HEARTBEATS).")
  private Long heartbeats;

  @Option(names = "--ca-cert", paramLabel = "FILE", defaultValue = "${env:ZT_SERVER_CA_CERT}",
      description = "Trust the registration server through this CA certificate (PEM) instead "
          + "of the CA chain stored at provisioning (env ZT_SERVER_CA_CERT).")
  private Path caCert;

  @Option(names = "--firmware-version", paramLabel = "VERSION",
      defaultValue = "${env:ZT_FIRMWARE_VERSION:-0.1.0}",
      description = "Sent in the register message (env ZT_FIRMWARE_VERSION, "
          + "default ${DEFAULT-VALUE}).")
  private String firmwareVersion;

  @Option(names = "--attribute", paramLabel = "KEY=VALUE", split = ",",
      defaultValue = "${env:ZT_ATTRIBUTES}",
      description = "An attribute for the device record, sent in the register message; "
          + "repeatable (env ZT_ATTRIBUTES, comma-separated).")
  private Map<String, String> attributes = new LinkedHashMap<>();

  @Option(names = "--retry-for", paramLabel = "DURATION",
      defaultValue = "${env:ZT_RETRY_FOR:-2m}", converter = DurationConverter.class,
      description = "How long to retry an unreachable CA or server (exponential backoff with "
          + "jitter, at most 10 attempts) before giving up with exit code 4; written 30s, 5m "
          + "(env ZT_RETRY_FOR, default ${DEFAULT-VALUE}).")
  private Duration retryFor;

  @Option(names = "--log-format", paramLabel = "FORMAT",
      defaultValue = "${env:ZT_LOG_FORMAT:-text}",
      description = "text (readable lines) or json (one object per line) "
          + "(env ZT_LOG_FORMAT, default ${DEFAULT-VALUE}).")
  private String logFormat;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code, without exiting. */
  public static int execute(String... args) {
    return new CommandLine(new DeviceClientMain()).execute(args);
  }

  @Override
  public Integer call() {
    DeviceClientConfig config = config();
    Logging.apply(config.logFormat());
    return new DeviceClient(config).run();
  }

  /** The validated settings; a bad value is a usage error naming the option. */
  DeviceClientConfig config() {
    try {
      return new DeviceClientConfig(
          parseUrl(caUrl),
          ServerAddress.parse(server),
          identityDir,
          Optional.ofNullable(deviceId).filter(id -> !id.isBlank()),
          KeyType.parse(keyType),
          heartbeats == null ? OptionalLong.empty() : OptionalLong.of(heartbeats),
          Optional.ofNullable(caCert),
          firmwareVersion,
          attributes == null ? Map.of() : attributes,
          retryFor,
          LogFormat.parse(logFormat));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static URI parseUrl(String text) {
    try {
      return new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--ca-url '" + text + "' is not a URL; expected something like http://localhost:8080",
          e);
    }
  }
}
