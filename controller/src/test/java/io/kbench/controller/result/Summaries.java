package io.kbench.controller.result;

import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.Rates;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.WindowSummary;
import java.util.List;
import java.util.Map;

/** A complete run's summary for the result tests: 10 s at 1,000 msg/s of 1 KB, 2 agents, no backlog reason. */
final class Summaries {

    private Summaries() {}

    static RunSummary complete(
            List<WindowSummary> windows, Map<LatencyKind, LatencyStats> latencies, List<String> notes) {
        return new RunSummary(
                "r",
                "w",
                "Kafka",
                null,
                null,
                RunStatus.COMPLETE,
                List.of(),
                0,
                10_000,
                new Rates(1000, 0, 990, 1.0, 0.99),
                10_000,
                10_240_000,
                0,
                Map.of(),
                9_900,
                10_137_600,
                0,
                100,
                latencies,
                Map.of(),
                windows,
                Map.of(),
                Map.of(),
                1.0,
                2,
                1,
                null,
                notes);
    }
}
