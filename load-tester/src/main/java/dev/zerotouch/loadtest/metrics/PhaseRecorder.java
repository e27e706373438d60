package dev.zerotouch.loadtest.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Counts and latencies of one phase, safe to record into from any thread. Latencies are kept
 * in microseconds, from 1 µs to 10 minutes with 3 significant digits.
 */
public final class PhaseRecorder {

  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
  private static final int SIGNIFICANT_DIGITS = 3;

  private final Phase phase;
  private final Histogram latencies = new ConcurrentHistogram(1, HIGHEST_MICROS,
      SIGNIFICANT_DIGITS);
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean started;
  private volatile boolean finished;
  private volatile long startNanos;
  private volatile long endNanos;

  public PhaseRecorder(Phase phase) {
    this.phase = phase;
  }

  public Phase phase() {
    return phase;
  }

  /** Marks the start of the phase's wall time. */
  public void start(long nanos) {
    startNanos = nanos;
    started = true;
  }

  /** Marks the end of the phase's wall time. */
  public void finish(long nanos) {
    endNanos = nanos;
    finished = true;
  }

  public void success(long latencyNanos) {
    long micros = Math.max(1, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(
        latencyNanos)));
    latencies.recordValue(micros);
    succeeded.incrementAndGet();
  }

  public void failure() {
    failed.incrementAndGet();
  }

  public long succeeded() {
    return succeeded.get();
  }

  public long failed() {
    return failed.get();
  }

  /** The figures so far; the duration is zero until the phase has both started and finished. */
  public PhaseResult result() {
    long ok = succeeded.get();
    long durationNanos = started && finished ? Math.max(0, endNanos - startNanos) : 0;
    double seconds = durationNanos / 1e9;
    double throughput = seconds > 0 ? ok / seconds : 0;
    Histogram copy = latencies.copy();
    return new PhaseResult(phase.label(), ok + failed.get(), ok, failed.get(),
        durationNanos / 1_000_000, throughput, millis(copy, 50), millis(copy, 90),
        millis(copy, 99), copy.getTotalCount() == 0 ? 0 : copy.getMaxValue() / 1000.0);
  }

  private static double millis(Histogram histogram, double percentile) {
    if (histogram.getTotalCount() == 0) {
      return 0;
    }
    return histogram.getValueAtPercentile(percentile) / 1000.0;
  }
}
