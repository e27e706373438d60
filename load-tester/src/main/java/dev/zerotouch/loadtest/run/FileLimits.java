package dev.zerotouch.loadtest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The process's open-file limit, read from {@code /proc/self/limits}. A JVM cannot call
 * setrlimit itself (HotSpot raises the soft limit towards the hard one at start where it is
 * allowed to), so when the limit is too low the tester says which command raises it.
 *
 * @param soft the soft limit, or empty when unknown or unlimited
 * @param hard the hard limit, or empty when unknown or unlimited
 */
public record FileLimits(OptionalLong soft, OptionalLong hard) {

  /** File descriptors the JVM, the CA client's connections and the cache need besides sockets. */
  public static final int RESERVE = 256;

  private static final Path PROC_LIMITS = Path.of("/proc/self/limits");

  public static FileLimits current() {
    try {
      return parse(Files.readString(PROC_LIMITS));
    } catch (IOException | RuntimeException e) {
      return new FileLimits(OptionalLong.empty(), OptionalLong.empty());
    }
  }

  /** Parses the "Max open files" line of a {@code /proc/<pid>/limits} text. */
  static FileLimits parse(String limits) {
    for (String line : limits.split("\n")) {
      if (line.startsWith("Max open files")) {
        String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
        return new FileLimits(number(fields[0]), number(fields[1]));
      }
    }
    return new FileLimits(OptionalLong.empty(), OptionalLong.empty());
  }

  /** Descriptors a run of {@code devices} needs: every device holds a socket until the end. */
  public static long needed(int devices, int concurrency) {
    return (long) devices + concurrency + RESERVE;
  }

  /**
   * What to tell the user when {@code needed} is more than the soft limit, or empty when the
   * limit is enough (or unknown).
   */
  public Optional<String> advice(long needed) {
    if (soft.isEmpty() || soft.getAsLong() >= needed) {
      return Optional.empty();
    }
    String run = "ulimit -n " + needed;
    if (hard.isPresent() && hard.getAsLong() < needed) {
      return Optional.of("the open-file limit is " + soft.getAsLong() + " (hard limit "
          + hard.getAsLong() + ") but this run needs about " + needed + " descriptors: raise"
          + " the hard limit (as root, 'nofile' in /etc/security/limits.conf or LimitNOFILE="
          + " for a service), then run '" + run + "' in the shell that starts the tester;"
          + " devices past the limit will fail as too_many_open_files");
    }
    return Optional.of("the open-file limit is " + soft.getAsLong() + " but this run needs"
        + " about " + needed + " descriptors: run '" + run + "' in the shell before starting"
        + " the tester (load-tester/load-test.sh does it for you); devices past the limit"
        + " will fail as too_many_open_files");
  }

  private static OptionalLong number(String field) {
    if ("unlimited".equals(field)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(field));
  }
}
