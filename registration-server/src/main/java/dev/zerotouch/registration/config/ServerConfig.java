package dev.zerotouch.registration.config;

import dev.zerotouch.registry.RegistryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The registration server's settings, validated once at start-up. Ports may be 0 (any free
 * port), which the tests use.
 *
 * @param eventLoops threads running TLS and the protocol; 0 for one per processor the JVM sees
 * @param registryThreads threads that make registry calls for registrations, so that the
 *     event loops never wait for etcd
 * @param registryQueue registrations that may wait for one of those threads; beyond it a
 *     device is told {@code server_busy} (retryable)
 * @param registryLinger how long a registration may wait for others to be committed with it
 *     in one etcd transaction (zero: no wait)
 * @param presenceTtl the TTL of this instance's presence lease: how long a dead server's
 *     devices still look online
 * @param healthCacheTtl how long one etcd health check answers {@code /health}
 */
public record ServerConfig(
    String bind,
    int port,
    int healthPort,
    Path certFile,
    Path keyFile,
    Path caCertFile,
    Duration heartbeatInterval,
    int heartbeatMisses,
    Duration handshakeTimeout,
    int maxConnections,
    int eventLoops,
    boolean allowTls12,
    String serverId,
    Duration lastSeenFlush,
    int registryThreads,
    int registryQueue,
    Duration registryLinger,
    Duration presenceTtl,
    Duration healthCacheTtl,
    RegistryConfig registry) {

  /**
   * The longest linger accepted: beyond it registrations would wait for the group rather than
   * the other way round (at ~400 registrations/s a group of 256 fills in about 640 ms).
   */
  public static final Duration MAX_REGISTRY_LINGER = Duration.ofSeconds(1);

  public ServerConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(caCertFile, "caCertFile");
    Objects.requireNonNull(registry, "registry");
    requirePort("port", port);
    requirePort("health port", healthPort);
    requirePositive("heartbeat interval", heartbeatInterval);
    if (heartbeatInterval.toMillis() % 1000 != 0 || heartbeatInterval.toSeconds() > 86_400) {
      throw new IllegalArgumentException("heartbeat interval must be whole seconds up to 1 day"
          + " (devices are told it in seconds), got " + heartbeatInterval);
    }
    requireAtLeast("heartbeat misses", heartbeatMisses, 1);
    requirePositive("handshake timeout", handshakeTimeout);
    requireAtLeast("max connections", maxConnections, 1);
    requireAtLeast("event loops", eventLoops, 0);
    if (serverId == null || serverId.isBlank()) {
      throw new IllegalArgumentException("server id must not be blank");
    }
    requirePositive("last-seen flush interval", lastSeenFlush);
    requireAtLeast("registry threads", registryThreads, 1);
    requireAtLeast("registry queue", registryQueue, 1);
    if (registryLinger == null || registryLinger.isNegative()
        || registryLinger.compareTo(MAX_REGISTRY_LINGER) > 0) {
      throw new IllegalArgumentException("registry linger must be 0 to "
          + MAX_REGISTRY_LINGER.toMillis() + "ms, got " + registryLinger);
    }
    requirePositive("presence TTL", presenceTtl);
    if (presenceTtl.toSeconds() < 2) {
      throw new IllegalArgumentException("presence TTL must be at least 2s, got " + presenceTtl);
    }
    requirePositive("health cache TTL", healthCacheTtl);
  }

  /** The number of event loop threads to start: {@link #eventLoops}, or one per processor. */
  public int eventLoopThreads() {
    return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
  }

  /** How long a registered connection may stay silent before it is closed. */
  public Duration heartbeatTimeout() {
    return heartbeatInterval.multipliedBy(heartbeatMisses);
  }

  private static void requirePort(String name, int value) {
    if (value < 0 || value > 65_535) {
      throw new IllegalArgumentException(name + " must be 0..65535, got " + value);
    }
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
    }
  }

  private static void requireAtLeast(String name, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(name + " must be at least " + minimum + ", got " + value);
    }
  }
}
