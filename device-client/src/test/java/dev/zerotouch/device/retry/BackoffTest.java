package dev.zerotouch.device.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final AtomicLong nanos = new AtomicLong();

  private Backoff backoff(double random, int maxAttempts, Duration giveUpAfter) {
    return new Backoff(Duration.ofMillis(100), Duration.ofMillis(1_000), maxAttempts, giveUpAfter,
        () -> random, nanos::get);
  }

  @Test
  void delaysDoubleUpToTheMaximumWithTheTopOfTheJitterRange() {
    Backoff.Attempts attempts = backoff(1.0, 100, Duration.ofHours(1)).start();

    long[] delays = new long[6];
    for (int i = 0; i < delays.length; i++) {
      delays[i] = attempts.nextDelay(Optional.empty()).orElseThrow().toMillis();
    }

    assertThat(delays).containsExactly(100, 200, 400, 800, 1_000, 1_000);
  }

  @Test
  void jitterKeepsEachDelayBetweenHalfAndAllOfItsCeiling() {
    Backoff.Attempts low = backoff(0.0, 100, Duration.ofHours(1)).start();
    Backoff.Attempts middle = backoff(0.5, 100, Duration.ofHours(1)).start();

    low.nextDelay(Optional.empty());
    middle.nextDelay(Optional.empty());

    assertThat(low.nextDelay(Optional.empty())).contains(Duration.ofMillis(100));
    assertThat(middle.nextDelay(Optional.empty())).contains(Duration.ofMillis(150));
  }

  @Test
  void givesUpWhenTheAttemptsAreUsedUp() {
    Backoff.Attempts attempts = backoff(1.0, 3, Duration.ofHours(1)).start();

    Optional<Duration> first = attempts.nextDelay(Optional.empty());
    Optional<Duration> second = attempts.nextDelay(Optional.empty());
    Optional<Duration> third = attempts.nextDelay(Optional.empty());

    assertThat(first).isPresent();
    assertThat(second).isPresent();
    assertThat(third).isEmpty();
    assertThat(attempts.failures()).isEqualTo(3);
  }

  @Test
  void givesUpWhenTheNextAttemptWouldStartAfterTheTimeBudget() {
    Backoff.Attempts attempts = backoff(1.0, 100, Duration.ofMillis(1_500)).start();

    nanos.addAndGet(Duration.ofMillis(1_000).toNanos());
    Optional<Duration> withinBudget = attempts.nextDelay(Optional.empty());
    nanos.addAndGet(Duration.ofMillis(400).toNanos());
    Optional<Duration> beyondBudget = attempts.nextDelay(Optional.empty());

    assertThat(withinBudget).contains(Duration.ofMillis(100));
    assertThat(beyondBudget).isEmpty();
  }

  @Test
  void aLongerPeerHintIsHonouredAndAShorterOneIgnored() {
    Backoff.Attempts attempts = backoff(1.0, 100, Duration.ofHours(1)).start();

    Optional<Duration> longHint = attempts.nextDelay(Optional.of(Duration.ofSeconds(3)));
    Optional<Duration> shortHint = attempts.nextDelay(Optional.of(Duration.ofMillis(1)));

    assertThat(longHint).contains(Duration.ofSeconds(3));
    assertThat(shortHint).contains(Duration.ofMillis(200));
  }

  @Test
  void resetStartsAFreshBudgetAfterASuccess() {
    Backoff.Attempts attempts = backoff(1.0, 2, Duration.ofSeconds(1)).start();
    attempts.nextDelay(Optional.empty());
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());

    attempts.reset();

    assertThat(attempts.failures()).isZero();
    assertThat(attempts.nextDelay(Optional.empty())).contains(Duration.ofMillis(100));
  }

  @Test
  void refusesBoundsThatMakeNoSense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 3,
        Duration.ofSeconds(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialDelay PT0S");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3,
        Duration.ofSeconds(10)))
        .hasMessageContaining("maxDelay PT1S is shorter than initialDelay PT2S");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0,
        Duration.ofSeconds(10)))
        .hasMessageContaining("maxAttempts 0");
  }
}
