package dev.zerotouch.loadtest.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The CPU time this whole process has used, in nanoseconds: every thread, the JIT and the GC
 * included, which is what a client's cost per connect honestly is. -1 when the JVM does not
 * say.
 */
public final class CpuClock {

  private CpuClock() {
  }

  public static long processCpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }
}
