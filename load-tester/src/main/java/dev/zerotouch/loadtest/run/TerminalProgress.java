package dev.zerotouch.loadtest.run;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A live progress bar per phase (me.tongfei:progressbar), redrawn in place on a terminal. */
public final class TerminalProgress implements Progress {

  private static final int UPDATE_MILLIS = 200;

  private final PrintStream out;

  public TerminalProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public PhaseProgress start(String phase, long total) {
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(String.format("%-10s", phase))
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setUpdateIntervalMillis(UPDATE_MILLIS)
        .setConsumer(new ConsoleProgressBarConsumer(out))
        .showSpeed()
        .build();
    return new PhaseProgress() {
      @Override
      public void step() {
        bar.step();
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
