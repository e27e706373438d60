package dev.zerotouch.registry;

/** The {@link Registry} over jetcd. */
public final class EtcdRegistry {

  private EtcdRegistry() {
  }

  /** Connects lazily: no call is made until the first operation. */
  public static Registry connect(RegistryConfig config) {
    throw new UnsupportedOperationException("skeleton");
  }
}
