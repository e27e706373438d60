package dev.zerotouch.loadtest.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress as plain lines every few seconds, for logs and pipes where a redrawn bar would be
 * noise: {@code register: 512/1000 (51%), 256/s}. One last line when the phase ends.
 */
public final class PlainProgress implements Progress, AutoCloseable {

  private final PrintStream out;
  private final Duration every;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        Thread thread = new Thread(runnable, "progress-lines");
        thread.setDaemon(true);
        return thread;
      });

  public PlainProgress(PrintStream out, Duration every) {
    this.out = out;
    this.every = every;
  }

  @Override
  public PhaseProgress start(String phase, long total) {
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    ScheduledFuture<?> lines = timer.scheduleAtFixedRate(
        () -> out.println(line(phase, done.get(), total, start)),
        every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return new PhaseProgress() {
      @Override
      public void step() {
        done.incrementAndGet();
      }

      @Override
      public void close() {
        lines.cancel(false);
        out.println(line(phase, done.get(), total, start) + " done");
      }
    };
  }

  static String line(String phase, long done, long total, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long percent = total == 0 ? 100 : done * 100 / total;
    return String.format("%s: %d/%d (%d%%), %.0f/s", phase, done, total, percent,
        seconds > 0 ? done / seconds : 0.0);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
