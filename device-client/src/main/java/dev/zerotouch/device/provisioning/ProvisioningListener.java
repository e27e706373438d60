package dev.zerotouch.device.provisioning;

import dev.zerotouch.device.DeviceException;
import java.net.URI;
import java.time.Duration;

/** What a {@link Provisioner} reports while it works; every method defaults to nothing. */
public interface ProvisioningListener {
  ProvisioningListener NONE = new ProvisioningListener() {
  };

  /** Attempt {@code attempt} (1-based) of sending the CSR is starting. */
  default void sending(URI url, int attempt) {
  }

  /** An attempt failed with a retryable error; the next one starts after {@code delay}. */
  default void retrying(DeviceException failure, Duration delay, int nextAttempt) {
  }
}
