package dev.zerotouch.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FileLimitsTest {

  private static final String LIMITS = """
      Limit                     Soft Limit           Hard Limit           Units
      Max cpu time              unlimited            unlimited            seconds
      Max open files            1024                 524288               files
      Max locked memory         8388608              8388608              bytes
      """;

  @Test
  void theOpenFileLimitsAreReadFromProcLimits() {
    FileLimits limits = FileLimits.parse(LIMITS);

    assertThat(limits.soft()).hasValue(1024);
    assertThat(limits.hard()).hasValue(524288);
  }

  @Test
  void unlimitedReadsAsNoLimit() {
    FileLimits limits = FileLimits.parse(
        "Max open files            unlimited            unlimited            files\n");

    assertThat(limits.soft()).isEmpty();
    assertThat(limits.advice(1_000_000)).isEmpty();
  }

  @Test
  void aSoftLimitBelowTheNeedSaysExactlyWhichUlimitToRun() {
    FileLimits limits = FileLimits.parse(LIMITS);

    assertThat(limits.advice(10_320)).hasValueSatisfying(advice -> assertThat(advice)
        .contains("the open-file limit is 1024")
        .contains("run 'ulimit -n 10320' in the shell before starting the tester")
        .contains("too_many_open_files"));
  }

  @Test
  void aHardLimitBelowTheNeedSaysToRaiseItAsRootFirst() {
    FileLimits limits = new FileLimits(OptionalLong.of(1024), OptionalLong.of(4096));

    assertThat(limits.advice(10_320)).hasValueSatisfying(advice -> assertThat(advice)
        .contains("hard limit 4096")
        .contains("/etc/security/limits.conf")
        .contains("'ulimit -n 10320'"));
  }

  @Test
  void enoughDescriptorsNeedNoAdvice() {
    assertThat(FileLimits.parse(LIMITS).advice(1000)).isEmpty();
  }

  @Test
  void everyDeviceNeedsADescriptorBesidesTheReserve() {
    assertThat(FileLimits.needed(10_000, 64)).isEqualTo(10_000 + 64 + FileLimits.RESERVE);
  }
}
