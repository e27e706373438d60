package dev.zerotouch.loadtest.run;

/** Where a phase's progress is shown: a live bar on a terminal, plain lines otherwise. */
public interface Progress {

  /** Starts showing a phase of {@code total} steps. */
  PhaseProgress start(String phase, long total);

  /** The progress of one phase; {@link #step()} may be called from any thread. */
  interface PhaseProgress extends AutoCloseable {

    void step();

    @Override
    void close();
  }

  /** Shows nothing (for tests and embedding). */
  static Progress none() {
    return (phase, total) -> new PhaseProgress() {
      @Override
      public void step() {
      }

      @Override
      public void close() {
      }
    };
  }
}
