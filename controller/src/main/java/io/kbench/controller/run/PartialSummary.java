package io.kbench.controller.run;

import io.kbench.protocol.message.Rates;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.WindowSummary;
import java.util.List;
import java.util.Map;

/**
 * A run summary built from the windows the controller saw, for a run that ended without the aggregator's
 * summary (interrupted, or the aggregator gone): counters and rates are exact sums of the windows; run-wide
 * percentiles cannot be merged from window percentiles, so they are left out rather than averaged. {@code reason}
 * is why the run ended so (a run that could not start says which worker refused what), or null.
 */
final class PartialSummary {

    private PartialSummary() {}

    static RunSummary fromWindows(
            String runId, RunSpec spec, RunStatus status, String reason, List<WindowSummary> windows) {
        List<WindowSummary> measured = windows.stream()
                .filter(w -> w.phase() == null || w.phase().isMeasured())
                .toList();
        long sent = measured.stream().mapToLong(WindowSummary::messagesSent).sum();
        long received =
                measured.stream().mapToLong(WindowSummary::messagesReceived).sum();
        long errors = measured.stream().mapToLong(WindowSummary::sendErrors).sum();
        long start = measured.isEmpty() ? 0 : measured.get(0).windowStart();
        long end = measured.isEmpty() ? 0 : measured.get(measured.size() - 1).windowEnd();
        double seconds = Math.max((end - start) / 1000.0, 1e-9);
        double publishMBps = measured.stream()
                        .mapToDouble(w -> w.rates().publishMBps() * (w.windowEnd() - w.windowStart()) / 1000.0)
                        .sum()
                / seconds;
        double consumeMBps = measured.stream()
                        .mapToDouble(w -> w.rates().consumeMBps() * (w.windowEnd() - w.windowStart()) / 1000.0)
                        .sum()
                / seconds;
        Rates rates = measured.isEmpty()
                ? Rates.ZERO
                : new Rates(sent / seconds, errors / seconds, received / seconds, publishMBps, consumeMBps);
        long backlog =
                measured.isEmpty() ? 0 : measured.get(measured.size() - 1).backlog();
        double cpu = measured.stream()
                .mapToDouble(WindowSummary::cpuPercent)
                .average()
                .orElse(0);
        return new RunSummary(
                runId,
                spec.workloadName(),
                spec.driverName(),
                spec.sweepId(),
                spec.sweepScale(),
                status,
                List.of(),
                start,
                end,
                rates,
                sent,
                0,
                errors,
                Map.of(),
                received,
                0,
                0,
                backlog,
                Map.of(),
                Map.of(),
                measured,
                Map.of(),
                Map.of(),
                cpu,
                spec.agentIds().size(),
                System.currentTimeMillis(),
                reason,
                List.of());
    }
}
