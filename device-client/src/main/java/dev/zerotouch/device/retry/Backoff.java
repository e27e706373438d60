package dev.zerotouch.device.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Exponential backoff with jitter, bounded both in attempts and in time. The delay before
 * retry {@code n} (1-based) is drawn uniformly from {@code [d/2, d]} with
 * {@code d = min(maxDelay, initialDelay * 2^(n-1))}, so that many devices that lost the same
 * server do not come back in step. A peer's own hint (HTTP {@code Retry-After}) is honoured as
 * a lower bound. Immutable and shareable; the per-operation state lives in {@link Attempts}.
 */
public final class Backoff {
  /** What the command line uses unless told otherwise. */
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofMillis(500);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_ATTEMPTS = 10;
  public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofMinutes(2);

  private final Duration initialDelay;
  private final Duration maxDelay;
  private final int maxAttempts;
  private final Duration giveUpAfter;
  private final DoubleSupplier random;
  private final LongSupplier nanoClock;

  /**
   * @param maxAttempts how many attempts in all, the first included, before giving up
   * @param giveUpAfter no retry is scheduled that would start later than this after the first
   *     attempt
   */
  public Backoff(Duration initialDelay, Duration maxDelay, int maxAttempts, Duration giveUpAfter) {
    this(initialDelay, maxDelay, maxAttempts, giveUpAfter,
        () -> ThreadLocalRandom.current().nextDouble(), System::nanoTime);
  }

  Backoff(Duration initialDelay, Duration maxDelay, int maxAttempts, Duration giveUpAfter,
      DoubleSupplier random, LongSupplier nanoClock) {
    requirePositive(initialDelay, "initialDelay");
    requirePositive(maxDelay, "maxDelay");
    requirePositive(giveUpAfter, "giveUpAfter");
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay " + maxDelay
          + " is shorter than initialDelay " + initialDelay + "; expected at least as long");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "maxAttempts " + maxAttempts + " is not allowed; expected at least 1");
    }
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
    this.maxAttempts = maxAttempts;
    this.giveUpAfter = giveUpAfter;
    this.random = Objects.requireNonNull(random, "random");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** The defaults with another time budget. */
  public static Backoff giveUpAfter(Duration giveUpAfter) {
    return new Backoff(DEFAULT_INITIAL_DELAY, DEFAULT_MAX_DELAY, DEFAULT_MAX_ATTEMPTS,
        giveUpAfter);
  }

  public Duration initialDelay() {
    return initialDelay;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration giveUpAfter() {
    return giveUpAfter;
  }

  /** Starts counting the attempts of one operation now. */
  public Attempts start() {
    return new Attempts();
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          name + " " + value + " is not allowed; expected a positive duration");
    }
  }

  /** The attempts of one operation. Not thread-safe: one operation, one thread at a time. */
  public final class Attempts {
    private long startedNanos = nanoClock.getAsLong();
    private int failures;

    /** Failed attempts since the start or the last {@link #reset()}. */
    public int failures() {
      return failures;
    }

    /** Time since the start or the last {@link #reset()}. */
    public Duration elapsed() {
      return Duration.ofNanos(nanoClock.getAsLong() - startedNanos);
    }

    /** The operation succeeded: the next failure starts a fresh budget. */
    public void reset() {
      startedNanos = nanoClock.getAsLong();
      failures = 0;
    }

    /**
     * Records a failed attempt and returns how long to wait before the next one, or empty
     * when the attempts or the time budget are used up.
     */
    public Optional<Duration> nextDelay(Optional<Duration> peerHint) {
      failures++;
      if (failures >= maxAttempts) {
        return Optional.empty();
      }
      Duration delay = jittered(failures);
      if (peerHint.isPresent() && peerHint.get().compareTo(delay) > 0) {
        delay = peerHint.get();
      }
      if (elapsed().plus(delay).compareTo(giveUpAfter) > 0) {
        return Optional.empty();
      }
      return Optional.of(delay);
    }

    private Duration jittered(int retry) {
      long ceiling = initialDelay.toMillis();
      for (int i = 1; i < retry && ceiling < maxDelay.toMillis(); i++) {
        ceiling *= 2;
      }
      ceiling = Math.min(ceiling, maxDelay.toMillis());
      long floor = ceiling / 2;
      return Duration.ofMillis(floor + Math.round(random.getAsDouble() * (ceiling - floor)));
    }
  }
}
