package dev.zerotouch.loadtest.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PhaseRecorderTest {

  @Test
  void percentilesThroughputAndCountsComeFromTheRecordedLatencies() {
    PhaseRecorder recorder = new PhaseRecorder(Phase.REGISTER);
    recorder.start(0);
    for (int ms = 1; ms <= 100; ms++) {
      recorder.success(TimeUnit.MILLISECONDS.toNanos(ms));
    }
    recorder.failure();
    recorder.finish(TimeUnit.SECONDS.toNanos(2));

    PhaseResult result = recorder.result();

    assertThat(result.phase()).isEqualTo("register");
    assertThat(result.attempted()).isEqualTo(101);
    assertThat(result.succeeded()).isEqualTo(100);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(result.durationMs()).isEqualTo(2000);
    assertThat(result.throughputPerSecond()).isCloseTo(50.0, within(0.01));
    assertThat(result.p50Ms()).isCloseTo(50.0, within(0.1));
    assertThat(result.p90Ms()).isCloseTo(90.0, within(0.1));
    assertThat(result.p99Ms()).isCloseTo(99.0, within(0.1));
    assertThat(result.maxMs()).isCloseTo(100.0, within(0.1));
  }

  @Test
  void aPhaseWithNothingRecordedReportsZerosRatherThanFailing() {
    PhaseRecorder recorder = new PhaseRecorder(Phase.HEARTBEAT);

    PhaseResult result = recorder.result();

    assertThat(result).isEqualTo(new PhaseResult("heartbeat", 0, 0, 0, 0, 0, 0, 0, 0, 0));
  }

  @Test
  void recordingFromManyThreadsLosesNothing() throws InterruptedException {
    PhaseRecorder recorder = new PhaseRecorder(Phase.PROVISION);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          recorder.success(1_000_000);
        }
      });
      threads[t].start();
    }

    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(recorder.result().succeeded()).isEqualTo(40_000);
  }
}
