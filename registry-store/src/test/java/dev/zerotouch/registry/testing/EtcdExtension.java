package dev.zerotouch.registry.testing;

import dev.zerotouch.registry.RegistryConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@code etcd} process on free loopback ports with a temporary data dir for a
 * test class, and stops it afterwards. Use as
 * {@code @RegisterExtension static final EtcdExtension ETCD = new EtcdExtension();}.
 * {@link #stop()} and {@link #start()} stop and restart the same member (same ports, same
 * data) to simulate an outage.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    throw new UnsupportedOperationException("skeleton");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** The client URL, such as {@code http://127.0.0.1:41234}. */
  public String endpoint() {
    throw new UnsupportedOperationException("skeleton");
  }

  /** A config for this etcd with a key prefix unique to the caller. */
  public RegistryConfig registryConfig(String keyPrefix) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Stops the member (SIGTERM, waits until the port is closed). */
  public void stop() {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Starts the same member again and waits until it is healthy. */
  public void start() {
    throw new UnsupportedOperationException("skeleton");
  }
}
