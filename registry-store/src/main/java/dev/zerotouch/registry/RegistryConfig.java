package dev.zerotouch.registry;

import java.time.Duration;
import java.util.List;

/**
 * How to reach etcd: client endpoints such as {@code http://127.0.0.1:2379}, the key prefix
 * everything lives under (for example {@code /zerotouch/}), and the deadline of every call.
 */
public record RegistryConfig(List<String> endpoints, String keyPrefix, Duration callTimeout) {

  public static final String DEFAULT_PREFIX = "/zerotouch/";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
}
