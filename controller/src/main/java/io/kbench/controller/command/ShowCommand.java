package io.kbench.controller.command;

import io.kbench.controller.config.InputError;
import io.kbench.controller.result.ResultFiles;
import io.kbench.controller.result.SummaryTable;
import io.kbench.controller.run.ControlPlane;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunSummary;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kbench show RUN}: a run's result file, written from Kafka at any later time. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Print a past run's summary and write its result file from <prefix>.results.")
public final class ShowCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "DIR",
            defaultValue = "results",
            description = "Where to write.")
    Path output;

    @Option(names = "--report", description = "Also write the run's HTML report (as `kbench report` does).")
    boolean report;

    @Parameters(paramLabel = "RUN", description = "The run id (see `kbench runs`).")
    String runId;

    @Override
    public Integer call() throws Exception {
        try (ControlPlane control = cluster.controlPlane()) {
            control.connect(Duration.ofSeconds(15));
            Message message = ResultsReader.lastByKey(control, control.topics().results(), Duration.ofSeconds(30))
                    .get(runId + "/RunSummary");
            if (!(message instanceof RunSummary summary)) {
                throw new InputError("no run '" + runId + "' on "
                        + control.topics().results() + "; `kbench runs` lists the recorded runs");
            }
            RunSpec spec = ResultsReader.spec(control, runId, Duration.ofSeconds(30));
            SummaryTable.print(System.out, summary);
            if (spec == null) {
                System.out.println("  the run's spec has left "
                        + control.topics().control() + " (retention); no result file written");
                return 0;
            }
            java.util.Optional<Path> existing = ResultFiles.find(output, runId);
            Path resultFile;
            if (existing.isPresent()) {
                resultFile = existing.get();
                System.out.println("  result file: " + resultFile + " (already written; not written again)");
            } else {
                // Named after when the run ended, not when it was shown: the same run always gets the same name.
                Clock ended = Clock.fixed(Instant.ofEpochMilli(summary.completedAt()), ZoneId.systemDefault());
                List<Path> files = ResultFiles.write(output, spec, summary, Map.of(), ended);
                files.forEach(f -> System.out.println("  wrote " + f));
                resultFile = files.get(0);
            }
            if (report) {
                BenchmarkRunner.report(resultFile, System.out);
            }
            return 0;
        }
    }
}
