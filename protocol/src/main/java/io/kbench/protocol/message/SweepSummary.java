package io.kbench.protocol.message;

import java.util.List;

/** Scaling efficiency of the runs of one sweep, each point against the sweep's smallest run. */
public record SweepSummary(String sweepId, List<Point> points) implements Message {
    public SweepSummary {
        points = points == null ? List.of() : List.copyOf(points);
    }

    /**
     * One run of the sweep.
     *
     * @param scale n: producers (or consumers, or message size) of this point
     * @param throughput messages per second published
     * @param throughputEfficiency (T_n / T_1) / (n / 1)
     * @param latencyGrowth (p99_n − p99_1) / p99_1, from publish latency
     * @param msgPerCpuPercent messages per second per 1 % CPU
     */
    public record Point(
            String runId,
            double scale,
            double throughput,
            double publishMBps,
            double p99PublishLatencyUs,
            double p99EndToEndLatencyUs,
            double cpuPercent,
            double throughputEfficiency,
            double latencyGrowth,
            double msgPerCpuPercent) {}
}
