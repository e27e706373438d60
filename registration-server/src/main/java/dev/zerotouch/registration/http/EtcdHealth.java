package dev.zerotouch.registration.http;

import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryException;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether etcd answers, asked at most once per cache period so that probing {@code /health}
 * stays cheap. Concurrent callers share one check.
 */
public final class EtcdHealth {

  private final Registry registry;
  private final long cacheNanos;
  private long checkedAtNanos;
  private boolean checked;
  private Optional<String> problem = Optional.empty();

  public EtcdHealth(Registry registry, Duration cache) {
    this.registry = registry;
    this.cacheNanos = cache.toNanos();
  }

  /** Empty while etcd answers, else why it does not. */
  public synchronized Optional<String> problem() {
    long now = System.nanoTime();
    if (checked && now - checkedAtNanos < cacheNanos) {
      return problem;
    }
    try {
      registry.checkHealth();
      problem = Optional.empty();
    } catch (RegistryException e) {
      problem = Optional.of("etcd unreachable: " + e.getMessage());
    } catch (RuntimeException e) {
      problem = Optional.of("etcd check failed: " + e);
    }
    checked = true;
    checkedAtNanos = System.nanoTime();
    return problem;
  }
}
