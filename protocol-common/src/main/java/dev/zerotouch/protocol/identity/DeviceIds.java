package dev.zerotouch.protocol.identity;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The rule for a device id (the certificate's Common Name): 1 to 64 characters from ASCII
 * letters, digits, '.', '_' and '-', starting with a letter or a digit. It becomes part of etcd
 * keys and logs, so nothing else (no '/', no spaces, no control characters) is allowed.
 */
public final class DeviceIds {

  public static final int MAX_LENGTH = 64;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final String GENERATED_PREFIX = "device-";
  private static final int GENERATED_RANDOM_BYTES = 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private DeviceIds() {
  }

  public static boolean isValid(String deviceId) {
    return deviceId != null && VALID.matcher(deviceId).matches();
  }

  /** A new random id such as {@code device-5f3a9c2e7b1d4e80}: 64 bits from SecureRandom. */
  public static String generate() {
    byte[] random = new byte[GENERATED_RANDOM_BYTES];
    RANDOM.nextBytes(random);
    return GENERATED_PREFIX + HexFormat.of().formatHex(random);
  }
}
