package dev.zerotouch.ca.config;

import dev.zerotouch.registry.RegistryConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The CA server's settings, validated once at start-up (see {@link ServeOptions} for the
 * flags and environment variables they come from).
 *
 * @param signThreads threads that check and sign CSRs, off the HTTP threads
 * @param signQueue requests that may wait for a signing thread; beyond it the CA answers 503
 *     {@code overloaded}
 * @param commitThreads group commits that may be in flight at once
 * @param batchMax most issuances committed to etcd in one group commit
 * @param batchLinger how long a group commit waits for more issuances after the first one;
 *     zero takes what is queued at that moment (issuances that arrive while a commit is in
 *     flight wait for the next one, so batches still form under load)
 * @param retryAfter what {@code Retry-After} tells clients when etcd is unavailable
 */
public record CaServerConfig(
    String bind,
    int port,
    Path caKey,
    Path caCert,
    Duration validity,
    RegistryConfig registry,
    int signThreads,
    int signQueue,
    int commitThreads,
    int batchMax,
    Duration batchLinger,
    Duration retryAfter) {
  /** The largest request body accepted; a CSR is about 1 KiB. */
  public static final int MAX_BODY_BYTES = 16 * 1024;

  public CaServerConfig {
    require(port >= 0 && port <= 65535, "port", port, "0..65535");
    require(!validity.isNegative() && !validity.isZero(), "validity", validity, "positive");
    require(signThreads >= 1 && signThreads <= 256, "sign threads", signThreads, "1..256");
    require(signQueue >= 1 && signQueue <= 100_000, "sign queue", signQueue, "1..100000");
    require(commitThreads >= 1 && commitThreads <= 16, "commit threads", commitThreads,
        "1..16");
    require(batchMax >= 1 && batchMax <= 1000, "batch max", batchMax, "1..1000");
    require(!batchLinger.isNegative() && batchLinger.toMillis() <= 1000, "batch linger",
        batchLinger, "0..1s");
    require(retryAfter.getSeconds() >= 1, "retry after", retryAfter, "at least 1s");
    require(!registry.endpoints().isEmpty(), "etcd endpoints", registry.endpoints(),
        "at least one URL");
    require(!registry.callTimeout().isNegative() && !registry.callTimeout().isZero(),
        "etcd timeout", registry.callTimeout(), "positive");
  }

  /**
   * A config with the serve command's default tuning (one signing thread per CPU, a queue of
   * 1024, two commits in flight, batches of up to 64 without linger, Retry-After 5 s); for
   * embedding the CA, as the other modules' tests do.
   */
  public static CaServerConfig withDefaultTuning(String bind, int port, Path caKey, Path caCert,
      Duration validity, RegistryConfig registry) {
    return new CaServerConfig(bind, port, caKey, caCert, validity, registry,
        Runtime.getRuntime().availableProcessors(), 1024, 2, 64, Duration.ZERO,
        Duration.ofSeconds(5));
  }

  private static void require(boolean ok, String name, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(name + " " + value + " is out of range; expected "
          + expected);
    }
  }
}
