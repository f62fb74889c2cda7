package io.kbench.protocol.message;

/**
 * Percentiles of one merged histogram, in microseconds. Computed only from merged histograms, never averaged.
 */
public record LatencyStats(
        long count,
        double mean,
        double p50,
        double p75,
        double p95,
        double p99,
        double p999,
        double p9999,
        double max) {
    public static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
