package io.kbench.aggregator.run;

import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.WindowSummary;
import java.util.List;

/** Builds a {@link RunSummary} from a run's measured totals. */
final class RunSummaries {

    private RunSummaries() {}

    static RunSummary of(
            RunAccumulator run,
            StatsAccumulator measured,
            RunStatus status,
            long completedAt,
            List<WindowSummary> measuredWindows) {
        RunSpec spec = run.spec();
        boolean any = !measured.isEmpty();
        long measureStart = any ? measured.minIntervalStart() : 0;
        long measureEnd = any ? measured.maxIntervalEnd() : 0;
        long span = measureEnd - measureStart;
        long[] totals = measured.totals();
        return new RunSummary(
                run.runId(),
                spec == null ? null : spec.workloadName(),
                spec == null ? null : spec.driverName(),
                spec == null ? null : spec.sweepId(),
                spec == null ? null : spec.sweepScale(),
                status,
                run.missingAgents(),
                measureStart,
                measureEnd,
                Counters.rates(totals, span),
                totals[Counters.SENT],
                totals[Counters.BYTES_SENT],
                totals[Counters.SEND_ERRORS],
                measured.errorsByType(),
                totals[Counters.RECEIVED],
                totals[Counters.BYTES_RECEIVED],
                totals[Counters.NEGATIVE_END_TO_END],
                run.cumulativeBacklog(),
                measured.latencies(),
                measured.encodedHistograms(),
                measuredWindows,
                measured.perWorkerRates(span),
                measured.perAgentRates(span),
                Counters.cpuPercent(totals, span),
                run.agentsReported(),
                completedAt,
                null,
                List.of());
    }
}
