package dev.zerotouch.loadtest.keys;

import java.security.KeyPair;
import java.util.List;

/**
 * The keys of all devices, index = device index, and how they were obtained.
 *
 * @param keys one per device
 * @param generated how many were generated in this run
 * @param fromCache how many were read from the key cache
 * @param durationMs the wall time of generating and reading them
 */
public record KeySet(List<KeyPair> keys, int generated, int fromCache, long durationMs) {

  public KeySet {
    keys = List.copyOf(keys);
  }
}
