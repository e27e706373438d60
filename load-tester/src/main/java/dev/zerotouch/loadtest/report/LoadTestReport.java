package dev.zerotouch.loadtest.report;

import dev.zerotouch.loadtest.metrics.ErrorGroup;
import dev.zerotouch.loadtest.metrics.PhaseResult;
import java.util.List;

/**
 * Everything a run measured; the summary prints it and the JSON report is it, field for field
 * (snake_case).
 *
 * @param startedAt when the run started, ISO-8601 UTC
 * @param settings what was asked for
 * @param keys how the keys were made, timed apart from the phases
 * @param devices how far the devices got
 * @param heartbeats heartbeats sent and acknowledged, hold included
 * @param phases the timed phases in order: provision, register, heartbeat, hold
 * @param errors failures grouped by kind, most frequent first
 * @param clientCpuMsPerConnect this process's CPU time (all threads: TLS, JIT, GC, heartbeats
 *     of devices already registered) per successful connect (mutual TLS handshake, register,
 *     registered) over the second half of the register phase, the steady state; -1 when
 *     unknown
 * @param clientCpuMsPerConnectWholePhase the same over the whole register phase, the JIT's
 *     warm-up included
 * @param timedPhasesMs wall time from the first CSR sent to the last heartbeat acknowledged,
 *     the hold excluded
 * @param wallTimeMs the whole run, keys and hold included
 * @param warnings things the user should know about the run itself (open-file limit...)
 * @param passed whether every device completed every phase
 */
public record LoadTestReport(String startedAt, Settings settings, Keys keys, Devices devices,
    Heartbeats heartbeats, List<PhaseResult> phases, List<ErrorGroup> errors,
    double clientCpuMsPerConnect, double clientCpuMsPerConnectWholePhase, long timedPhasesMs,
    long wallTimeMs, List<String> warnings, boolean passed) {

  public LoadTestReport {
    phases = List.copyOf(phases);
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** The run's settings as the report states them. */
  public record Settings(int devices, int concurrency, String keyType, String caUrl,
      String server, int heartbeatsPerDevice, long rampUpMs, long holdMs, String cnPrefix,
      String tlsProvider, String transport) {
  }

  /** Keys (generated or read from the cache) and CSRs, made before the timed phases. */
  public record Keys(int count, int generated, int fromCache, long durationMs,
      long csrDurationMs) {
  }

  /** How far the devices got; {@code failed} = attempted - completed. */
  public record Devices(long attempted, long provisioned, long registered, long completed,
      long failed) {
  }

  /** Heartbeats over all devices. */
  public record Heartbeats(long sent, long acknowledged) {
  }
}
