package dev.zerotouch.protocol.identity;

/**
 * The rule for a device id (the certificate's Common Name): 1 to 64 characters from letters,
 * digits, '.', '_' and '-', not starting with '.' or '-'. It becomes part of etcd keys and logs.
 */
public final class DeviceIds {

  public static final int MAX_LENGTH = 64;

  private DeviceIds() {
  }

  public static boolean isValid(String deviceId) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** A new random id such as {@code device-5f3a9c2e7b1d4e80}. */
  public static String generate() {
    throw new UnsupportedOperationException("skeleton");
  }
}
