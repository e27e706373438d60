package dev.zerotouch.ca.config;

import dev.zerotouch.protocol.config.DurationConverter;
import dev.zerotouch.registry.RegistryConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** How to reach the registry: the etcd flags every command that touches it shares. */
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
    String normalised = prefix.endsWith("/") ? prefix : prefix + "/";
    return new RegistryConfig(urls, normalised, timeout);
  }
}
