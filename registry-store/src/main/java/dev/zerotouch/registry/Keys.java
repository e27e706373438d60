package dev.zerotouch.registry;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The key layout under one prefix: {@code certs/<serial>}, {@code cns/<cn>},
 * {@code devices/<cn>}, {@code presence/<cn>} and {@code lastseen/<cn>}. Every name that
 * becomes part of a key is checked here so that no input can reach another key.
 */
final class Keys {

  static final String CERTS = "certs/";
  static final String CNS = "cns/";
  static final String DEVICES = "devices/";
  static final String PRESENCE = "presence/";
  static final String LAST_SEEN = "lastseen/";

  private static final Pattern SERIAL = Pattern.compile("[1-9a-f][0-9a-f]{0,63}");
  private static final Pattern CN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final String prefix;

  Keys(String prefix) {
    this.prefix = normalise(prefix);
  }

  /** The prefix with exactly one trailing '/'. */
  static String normalise(String prefix) {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("keyPrefix is empty: expected a prefix such as"
          + " /zerotouch/");
    }
    String trimmed = prefix.strip();
    while (trimmed.endsWith("/") && trimmed.length() > 1) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.equals("/") ? "/" : trimmed + "/";
  }

  ByteSequence cert(String serial) {
    return key(CERTS + requireSerial(serial));
  }

  ByteSequence cn(String cn) {
    return key(CNS + requireCn(cn));
  }

  ByteSequence device(String cn) {
    return key(DEVICES + requireCn(cn));
  }

  ByteSequence presence(String cn) {
    return key(PRESENCE + requireCn(cn));
  }

  ByteSequence lastSeen(String cn) {
    return key(LAST_SEEN + requireCn(cn));
  }

  /** The key of a whole directory such as {@code certs/}, for prefix reads and watches. */
  ByteSequence directory(String directory) {
    return key(directory);
  }

  ByteSequence key(String relative) {
    return ByteSequence.from(prefix + relative, StandardCharsets.UTF_8);
  }

  static String requireSerial(String serial) {
    if (serial == null || !SERIAL.matcher(serial).matches()) {
      throw new IllegalArgumentException("serial '" + serial + "' is not lowercase hex without"
          + " leading zeros (1 to 64 digits)");
    }
    return serial;
  }

  static String requireCn(String cn) {
    if (cn == null || !CN.matcher(cn).matches()) {
      throw new IllegalArgumentException("cn '" + cn + "' is not a device id: 1 to 64 letters,"
          + " digits, '.', '_' or '-', starting with a letter or a digit");
    }
    return cn;
  }

  static boolean isSerial(String serial) {
    return serial != null && SERIAL.matcher(serial).matches();
  }

  static boolean isCn(String cn) {
    return cn != null && CN.matcher(cn).matches();
  }
}
