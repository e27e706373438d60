package dev.zerotouch.device.identity;

import java.security.KeyPair;
import java.util.Objects;

/**
 * A device id and its key pair, saved on disk before the CSR is sent and waiting for the
 * CA's certificate.
 */
public record PendingIdentity(String deviceId, KeyPair keyPair) {
  public PendingIdentity {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(keyPair, "keyPair");
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "PendingIdentity[deviceId=" + deviceId + ", algorithm="
        + keyPair.getPublic().getAlgorithm() + "]";
  }
}
