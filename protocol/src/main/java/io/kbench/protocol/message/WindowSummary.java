package io.kbench.protocol.message;

import java.util.Map;

/**
 * Figures of one tumbling window of a run, merged over all agents.
 *
 * @param backlog messages sent × subscriptions − messages received, cumulative at the window's end
 * @param latencies percentiles per kind, microseconds
 * @param perWorker rates per worker id
 * @param perAgent rates per agent id
 * @param cpuPercent process CPU of all agents as a percentage of one core
 * @param agentsReporting agents with at least one report in the window
 */
public record WindowSummary(
        String runId,
        long windowStart,
        long windowEnd,
        Phase phase,
        Rates rates,
        long messagesSent,
        long messagesReceived,
        long sendErrors,
        long backlog,
        Map<LatencyKind, LatencyStats> latencies,
        Map<String, Rates> perWorker,
        Map<String, Rates> perAgent,
        double cpuPercent,
        int agentsReporting,
        boolean last)
        implements Message {
    public WindowSummary {
        latencies = latencies == null ? Map.of() : Map.copyOf(latencies);
        perWorker = perWorker == null ? Map.of() : Map.copyOf(perWorker);
        perAgent = perAgent == null ? Map.of() : Map.copyOf(perAgent);
    }
}
