package dev.zerotouch.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlainProgressTest {

  @Test
  void aClosedPhasePrintsOneFinalPlainLineWithItsCount() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PlainProgress progress = new PlainProgress(new PrintStream(bytes, true,
        StandardCharsets.UTF_8), Duration.ofHours(1))) {
      Progress.PhaseProgress phase = progress.start("register", 4);

      phase.step();
      phase.step();
      phase.step();
      phase.close();
    }

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .matches("register: 3/4 \\(75%\\), \\d+/s done\\R");
  }
}
