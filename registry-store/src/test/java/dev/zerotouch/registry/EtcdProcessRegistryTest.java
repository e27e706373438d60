package dev.zerotouch.registry;

import dev.zerotouch.registry.testing.EtcdExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry scenarios against an etcd process from the PATH (etcd 3.4 on Debian). */
class EtcdProcessRegistryTest extends RegistryScenarios {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  @Override
  protected RegistryConfig newConfig() {
    return ETCD.registryConfig();
  }
}
