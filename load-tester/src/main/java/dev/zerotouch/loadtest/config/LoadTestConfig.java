package dev.zerotouch.loadtest.config;

import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.identity.DeviceIds;
import dev.zerotouch.protocol.pki.KeyType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One load test, validated once: how many devices, how hard to push, where the stack is.
 *
 * @param devices how many simulated devices, 1 or more
 * @param concurrency the most CA requests, and the most TLS connects, in flight at once
 * @param rampUp the starts of each timed phase are spread evenly over this time (zero: at once)
 * @param heartbeats acknowledged heartbeats each device waits for after registering; devices
 *     heartbeat at the interval the server asks for in its registered answer
 * @param hold how long every device stays connected after its heartbeats, still beating
 * @param timeout the longest wait for the CA's answer, and for the TCP connect and for the
 *     registered answer
 * @param keyType the key every device generates
 * @param caUrl the CA's base URL
 * @param server the registration server
 * @param report where the JSON report goes, when asked
 * @param keyCache a directory where generated keys are kept between runs, when asked
 * @param cnPrefix every device's Common Name is this prefix and a 6-digit index
 * @param logFormat how log lines are written
 */
public record LoadTestConfig(int devices, int concurrency, Duration rampUp, int heartbeats,
    Duration hold, Duration timeout, KeyType keyType, URI caUrl,
    ServerAddress server, Optional<Path> report, Optional<Path> keyCache, String cnPrefix,
    LogFormat logFormat) {

  /** Digits of the index appended to the prefix: up to a million devices keep their order. */
  public static final int INDEX_DIGITS = 6;
  public static final int MAX_DEVICES = 999_999;

  public LoadTestConfig {
    require(devices >= 1 && devices <= MAX_DEVICES, "devices (N) is " + devices
        + ", expected 1 to " + MAX_DEVICES);
    require(concurrency >= 1, "--concurrency is " + concurrency + ", expected 1 or more");
    require(heartbeats >= 0, "--heartbeats is " + heartbeats + ", expected 0 or more");
    requireNotNegative("--ramp-up", rampUp);
    requireNotNegative("--hold", hold);
    require(timeout != null && !timeout.isZero() && !timeout.isNegative(),
        "--timeout is " + timeout + ", expected more than zero");
    require(keyType != null, "--key-type is missing, expected rsa2048 or ec256");
    require(caUrl != null && ("http".equals(caUrl.getScheme())
        || "https".equals(caUrl.getScheme())) && caUrl.getHost() != null,
        "--ca-url is '" + caUrl + "', expected an http(s) URL such as http://localhost:8080");
    require(server != null, "--server is missing, expected host:port");
    require(cnPrefix != null && DeviceIds.isValid(cnPrefix + "0".repeat(INDEX_DIGITS)),
        "--cn-prefix '" + cnPrefix + "' does not make a valid device id with "
            + INDEX_DIGITS + " digits after it: use letters, digits, '.', '_' or '-', start"
            + " with a letter or digit, at most " + (DeviceIds.MAX_LENGTH - INDEX_DIGITS)
            + " characters");
  }

  /** The Common Name of device {@code index} (0-based). */
  public String commonName(int index) {
    return cnPrefix + String.format("%0" + INDEX_DIGITS + "d", index);
  }

  /** The key type as it is written on the command line: rsa2048 or ec256. */
  public String keyTypeLabel() {
    return keyType == KeyType.EC_P256 ? "ec256" : "rsa2048";
  }

  private static void requireNotNegative(String option, Duration value) {
    require(value != null && !value.isNegative(),
        option + " is " + value + ", expected zero or more");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new LoadTestException(LoadTestErrorCode.INVALID_CONFIG, message);
    }
  }
}
