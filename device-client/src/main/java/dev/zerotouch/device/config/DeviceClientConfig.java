package dev.zerotouch.device.config;

import dev.zerotouch.protocol.identity.DeviceIds;
import dev.zerotouch.protocol.pki.KeyType;
import dev.zerotouch.protocol.wire.Register;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The device client's settings, validated once at start-up.
 *
 * @param caUrl the CA's base URL; the CSR goes to {@code <caUrl>/sign-csr}
 * @param server the registration server
 * @param identityDir where the identity lives (see {@code IdentityStore})
 * @param deviceId the id asked for on the command line; empty means the one on disk, or a
 *     generated one on the first run
 * @param heartbeats stop cleanly after this many acknowledged heartbeats; empty means run
 *     until interrupted
 * @param caCert a CA certificate file the operator trusts for the registration server instead
 *     of the chain stored at provisioning
 * @param retryFor how long to keep retrying an unreachable CA or server before giving up
 */
public record DeviceClientConfig(
    URI caUrl,
    ServerAddress server,
    Path identityDir,
    Optional<String> deviceId,
    KeyType keyType,
    OptionalLong heartbeats,
    Optional<Path> caCert,
    String firmwareVersion,
    Map<String, String> attributes,
    Duration retryFor,
    LogFormat logFormat) {
  public DeviceClientConfig {
    Objects.requireNonNull(caUrl, "caUrl");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(identityDir, "identityDir");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(heartbeats, "heartbeats");
    Objects.requireNonNull(caCert, "caCert");
    Objects.requireNonNull(firmwareVersion, "firmwareVersion");
    Objects.requireNonNull(retryFor, "retryFor");
    Objects.requireNonNull(logFormat, "logFormat");
    attributes = Map.copyOf(attributes);
    checkCaUrl(caUrl);
    deviceId.ifPresent(DeviceClientConfig::checkDeviceId);
    if (heartbeats.isPresent() && heartbeats.getAsLong() < 1) {
      throw new IllegalArgumentException("--heartbeats " + heartbeats.getAsLong()
          + " is not allowed; expected 1 or more (leave it out to run until interrupted)");
    }
    if (retryFor.isNegative() || retryFor.isZero()) {
      throw new IllegalArgumentException(
          "--retry-for " + retryFor + " is not allowed; expected a positive duration");
    }
    checkRegisterLimits(firmwareVersion, attributes);
  }

  /** The CA endpoint that signs CSRs. */
  public URI signCsrUrl() {
    String base = caUrl.toString();
    return URI.create(base.endsWith("/") ? base + "sign-csr" : base + "/sign-csr");
  }

  private static void checkCaUrl(URI caUrl) {
    String scheme = caUrl.getScheme() == null ? "" : caUrl.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || caUrl.getHost() == null) {
      throw new IllegalArgumentException("--ca-url '" + caUrl
          + "' is not an http(s) URL; expected something like http://localhost:8080");
    }
  }

  private static void checkDeviceId(String deviceId) {
    if (!DeviceIds.isValid(deviceId)) {
      throw new IllegalArgumentException("--device-id '" + deviceId
          + "' is not a safe device id; expected 1 to " + DeviceIds.MAX_LENGTH
          + " letters, digits, '.', '_' or '-', starting with a letter or a digit");
    }
  }

  /** The register message's limits (docs/PROTOCOL.md), checked before anything is sent. */
  private static void checkRegisterLimits(String firmwareVersion,
      Map<String, String> attributes) {
    if (utf8Bytes(firmwareVersion) > Register.MAX_FIRMWARE_VERSION_BYTES) {
      throw new IllegalArgumentException("--firmware-version is " + utf8Bytes(firmwareVersion)
          + " bytes long; expected at most " + Register.MAX_FIRMWARE_VERSION_BYTES);
    }
    if (attributes.size() > Register.MAX_ATTRIBUTES) {
      throw new IllegalArgumentException(attributes.size()
          + " attributes given; expected at most " + Register.MAX_ATTRIBUTES);
    }
    attributes.forEach((key, value) -> {
      if (key.isEmpty() || utf8Bytes(key) > Register.MAX_ATTRIBUTE_KEY_BYTES
          || utf8Bytes(value) > Register.MAX_ATTRIBUTE_VALUE_BYTES) {
        throw new IllegalArgumentException("--attribute '" + key + "=" + value
            + "' is not allowed; expected a key of 1 to " + Register.MAX_ATTRIBUTE_KEY_BYTES
            + " bytes and a value of at most " + Register.MAX_ATTRIBUTE_VALUE_BYTES + " bytes");
      }
    });
  }

  private static int utf8Bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
