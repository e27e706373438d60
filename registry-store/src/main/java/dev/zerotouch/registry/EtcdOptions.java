package dev.zerotouch.registry;

import dev.zerotouch.protocol.config.DurationConverter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How to reach the registry: the etcd flags (and their {@code ZT_ETCD_*} variables) of every
 * command that touches it, as a picocli mixin: {@code @Mixin EtcdOptions etcd;}.
 */
public final class EtcdOptions {
  @Option(names = "--etcd-endpoints",
      defaultValue = "${env:ZT_ETCD_ENDPOINTS:-http://127.0.0.1:2379}",
      description = "etcd client URLs, comma-separated (ZT_ETCD_ENDPOINTS, "
          + "default ${DEFAULT-VALUE})")
  String endpoints;

  @Option(names = "--etcd-prefix", defaultValue = "${env:ZT_ETCD_PREFIX:-/zerotouch/}",
      description = "key prefix in etcd (ZT_ETCD_PREFIX, default ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--etcd-timeout", defaultValue = "${env:ZT_ETCD_TIMEOUT:-3s}",
      converter = DurationConverter.class,
      description = "deadline of every etcd call (ZT_ETCD_TIMEOUT, default ${DEFAULT-VALUE})")
  Duration timeout;

  public RegistryConfig registryConfig() {
    List<String> urls = Arrays.stream(endpoints.split(","))
        .map(String::trim).filter(url -> !url.isEmpty()).toList();
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("--etcd-endpoints '" + endpoints + "' names no URL;"
          + " expected at least one, such as http://127.0.0.1:2379");
    }
    String normalised = prefix.endsWith("/") ? prefix : prefix + "/";
    return new RegistryConfig(urls, normalised, timeout);
  }
}
