package dev.zerotouch.loadtest.report;

import dev.zerotouch.loadtest.metrics.ErrorGroup;
import dev.zerotouch.loadtest.metrics.PhaseResult;
import java.util.Locale;

/** The human summary of a {@link LoadTestReport}: one screen that answers "did it hold?". */
public final class SummaryPrinter {

  private SummaryPrinter() {
  }

  public static String render(LoadTestReport report) {
    LoadTestReport.Settings settings = report.settings();
    LoadTestReport.Devices devices = report.devices();
    StringBuilder out = new StringBuilder();
    line(out, "");
    line(out, "load test: %d devices (%s), concurrency %d, CA %s, server %s",
        settings.devices(), settings.keyType(), settings.concurrency(), settings.caUrl(),
        settings.server());
    line(out, "keys:       %d ready in %s (%d generated, %d from cache), CSRs in %s, before"
        + " the timed phases", report.keys().count(), seconds(report.keys().durationMs()),
        report.keys().generated(), report.keys().fromCache(),
        seconds(report.keys().csrDurationMs()));
    line(out, "devices:    %d attempted, %d provisioned, %d registered, %d completed,"
        + " %d failed", devices.attempted(), devices.provisioned(), devices.registered(),
        devices.completed(), devices.failed());
    line(out, "heartbeats: %d sent, %d acknowledged", report.heartbeats().sent(),
        report.heartbeats().acknowledged());
    line(out, "");

    line(out, "%-10s %8s %8s %9s %9s %9s %9s %9s %9s", "phase", "ok", "failed", "time",
        "per sec", "p50 ms", "p90 ms", "p99 ms", "max ms");
    for (PhaseResult phase : report.phases()) {
      line(out, "%-10s %8d %8d %9s %9.1f %9.1f %9.1f %9.1f %9.1f", phase.phase(),
          phase.succeeded(), phase.failed(), seconds(phase.durationMs()),
          phase.throughputPerSecond(), phase.p50Ms(), phase.p90Ms(), phase.p99Ms(),
          phase.maxMs());
    }
    line(out, "");

    if (report.errors().isEmpty()) {
      line(out, "errors:     none");
    } else {
      line(out, "errors:");
      for (ErrorGroup group : report.errors()) {
        line(out, "  %6d  %s", group.count(), group.kind());
        line(out, "          e.g. %s", group.example());
      }
    }
    for (String warning : report.warnings()) {
      line(out, "warning:    %s", warning);
    }
    line(out, "client CPU: %s per mTLS connect in the register phase's second half, %s over"
        + " all of it (%s, %s)", millis(report.clientCpuMsPerConnect()),
        millis(report.clientCpuMsPerConnectWholePhase()), settings.tlsProvider(),
        settings.transport());
    line(out, "wall time:  %s (timed phases %s)", seconds(report.wallTimeMs()),
        seconds(report.timedPhasesMs()));
    line(out, "result:     %s", report.passed() ? "PASS, every device completed"
        : "FAIL, " + devices.failed() + " of " + devices.attempted() + " devices failed");
    return out.toString();
  }

  private static String millis(double value) {
    return value < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f ms", value);
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
