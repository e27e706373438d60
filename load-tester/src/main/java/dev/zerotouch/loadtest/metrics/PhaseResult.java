package dev.zerotouch.loadtest.metrics;

/**
 * The figures of one phase. Latencies are milliseconds of successful operations only.
 *
 * @param phase provision, register or heartbeat
 * @param attempted operations started (devices, or heartbeats for the heartbeat phase)
 * @param succeeded operations that completed
 * @param failed operations that failed
 * @param durationMs the phase's wall time, first start to last end
 * @param throughputPerSecond succeeded operations per second of the phase's wall time
 * @param p50Ms the median latency
 * @param p90Ms the 90th percentile latency
 * @param p99Ms the 99th percentile latency
 * @param maxMs the highest latency
 */
public record PhaseResult(String phase, long attempted, long succeeded, long failed,
    long durationMs, double throughputPerSecond, double p50Ms, double p90Ms, double p99Ms,
    double maxMs) {
}
