package dev.zerotouch.registry;

import java.util.List;
import java.util.function.UnaryOperator;

/** The round loop of a group commit, shared by {@link Issuer} and {@link DeviceRegistrar}. */
final class Rounds {

  private Rounds() {
  }

  /**
   * Runs {@code round} on the pending item indexes, then on what it leaves for later, until
   * nothing is left. When etcd fails (a {@link RegistryException} escapes a round), every item
   * without an outcome yet fails with it.
   */
  static <T> void untilDecided(List<Integer> pending, List<Registry.Outcome<T>> outcomes,
      UnaryOperator<List<Integer>> round) {
    List<Integer> left = pending;
    try {
      while (!left.isEmpty()) {
        left = round.apply(left);
      }
    } catch (RegistryException failure) {
      for (int i = 0; i < outcomes.size(); i++) {
        if (outcomes.get(i) == null) {
          outcomes.set(i, Registry.Outcome.failed(failure));
        }
      }
    }
  }
}
