package io.kbench.controller.command;

import io.kbench.controller.run.ControlPlane;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kbench runs}: past runs, from the compacted results topic. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List past runs from <prefix>.results.")
public final class RunsCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        try (ControlPlane control = cluster.controlPlane()) {
            control.connect(Duration.ofSeconds(15));
            List<RunSummary> runs =
                    ResultsReader.lastByKey(control, control.topics().results(), Duration.ofSeconds(30))
                            .values()
                            .stream()
                            .filter(RunSummary.class::isInstance)
                            .map(RunSummary.class::cast)
                            .sorted(Comparator.comparingLong(RunSummary::completedAt))
                            .toList();
            if (runs.isEmpty()) {
                System.out.println("no runs recorded on " + cluster.bootstrapServer());
                return 0;
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-19s %-48s %-11s %-16s %12s %10s %10s  %s%n",
                    "FINISHED",
                    "RUN",
                    "STATUS",
                    "DRIVER",
                    "PUB MSG/S",
                    "P99 PUB ms",
                    "P99 E2E ms",
                    "WORKLOAD");
            for (RunSummary run : runs) {
                LatencyStats pub = run.latencies().getOrDefault(LatencyKind.PUBLISH_LATENCY, LatencyStats.EMPTY);
                LatencyStats e2e = run.latencies().getOrDefault(LatencyKind.END_TO_END_LATENCY, LatencyStats.EMPTY);
                System.out.printf(
                        Locale.ROOT,
                        "%-19s %-48s %-11s %-16s %,12.0f %10.2f %10.2f  %s%n",
                        TIME.format(Instant.ofEpochMilli(run.completedAt())),
                        run.runId(),
                        run.status(),
                        run.driverName(),
                        run.rates().publishRate(),
                        pub.p99() / 1000,
                        e2e.p99() / 1000,
                        run.workloadName());
            }
            return 0;
        }
    }
}
