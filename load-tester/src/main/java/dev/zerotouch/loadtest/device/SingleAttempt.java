package dev.zerotouch.loadtest.device;

import dev.zerotouch.device.retry.Backoff;
import java.time.Duration;

/**
 * The back-off every simulated device uses: one attempt, no retry. A device in the field
 * retries a busy CA or a dropped connection; the load tester counts each such failure
 * instead, since a retry would hide exactly the overload a load test looks for.
 */
final class SingleAttempt {

  static final Backoff BACKOFF = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1,
      Duration.ofMillis(1));

  private SingleAttempt() {
  }
}
