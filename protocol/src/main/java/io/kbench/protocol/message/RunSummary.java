package io.kbench.protocol.message;

import java.util.List;
import java.util.Map;

/**
 * The durable record of a run on {@code <p>.results}: every figure the OMB result file needs plus kbench's
 * extras. Covers measured phases only (warm-up excluded).
 *
 * @param windows the run's window summaries in order (measured phases)
 * @param latencies run-wide percentiles per kind, microseconds
 * @param histograms run-wide merged histograms per kind (compressed, base64), for any other quantile
 * @param missingAgents agents that sent no last report by the deadline
 * @param cpuPercent mean process CPU of all agents, percent of one core
 * @param statusReason one line saying why the status is not COMPLETE (which agent, which worker, why, how much
 *     was measured); {@code null} for a complete run
 * @param notes facts a reader of the figures must know (unknown backlog, errors within the bound, …)
 */
public record RunSummary(
        String runId,
        String workloadName,
        String driverName,
        String sweepId,
        Double sweepScale,
        RunStatus status,
        List<String> missingAgents,
        long measureStart,
        long measureEnd,
        Rates rates,
        long messagesSent,
        long bytesSent,
        long sendErrors,
        Map<String, Long> errorsByType,
        long messagesReceived,
        long bytesReceived,
        long negativeEndToEnd,
        long backlog,
        Map<LatencyKind, LatencyStats> latencies,
        Map<LatencyKind, String> histograms,
        List<WindowSummary> windows,
        Map<String, Rates> perWorker,
        Map<String, Rates> perAgent,
        double cpuPercent,
        int agents,
        long completedAt,
        String statusReason,
        List<String> notes)
        implements Message {
    public RunSummary {
        missingAgents = missingAgents == null ? List.of() : List.copyOf(missingAgents);
        errorsByType = errorsByType == null ? Map.of() : Map.copyOf(errorsByType);
        latencies = latencies == null ? Map.of() : Map.copyOf(latencies);
        histograms = histograms == null ? Map.of() : Map.copyOf(histograms);
        windows = windows == null ? List.of() : List.copyOf(windows);
        perWorker = perWorker == null ? Map.of() : Map.copyOf(perWorker);
        perAgent = perAgent == null ? Map.of() : Map.copyOf(perAgent);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** This summary with another status (the controller's, when it knows better: an interrupted run). */
    public RunSummary withStatus(RunStatus newStatus, String newReason) {
        return new RunSummary(
                runId,
                workloadName,
                driverName,
                sweepId,
                sweepScale,
                newStatus,
                missingAgents,
                measureStart,
                measureEnd,
                rates,
                messagesSent,
                bytesSent,
                sendErrors,
                errorsByType,
                messagesReceived,
                bytesReceived,
                negativeEndToEnd,
                backlog,
                latencies,
                histograms,
                windows,
                perWorker,
                perAgent,
                cpuPercent,
                agents,
                completedAt,
                newReason,
                notes);
    }
}
