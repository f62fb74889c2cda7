package io.kbench.controller.command;

import io.kbench.controller.config.InputError;
import io.kbench.controller.run.ControlPlane;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StopRun;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code kbench stop RUN}: stops every agent of a run. A run id the control topic has no record of is bad input
 * (exit 2), and a run that already ended is said to have ended, so a typo never looks like a stop.
 */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop every agent of a run (StopRun).")
public final class StopCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "RUN", description = "The run id (see `kbench runs`, or the id a run prints).")
    String runId;

    @Override
    public Integer call() throws Exception {
        try (ControlPlane control = cluster.controlPlane()) {
            control.connect(Duration.ofSeconds(15));
            if (ResultsReader.spec(control, runId, TIMEOUT) == null) {
                throw new InputError("no run " + runId + " on " + cluster.bootstrapServer() + ": "
                        + control.topics().control() + " holds no RunSpec for it (`kbench runs` lists past runs)");
            }
            Message summary = ResultsReader.lastByKey(control, control.topics().results(), TIMEOUT)
                    .get(runId + "/RunSummary");
            if (summary instanceof RunSummary ended) {
                System.out.println("run " + runId + " already ended (" + ended.status() + "); nothing to stop");
                return 0;
            }
            control.publishControl(runId, new StopRun(StopRun.Reason.OPERATOR, "kbench stop"));
            System.out.println("StopRun published for " + runId);
            return 0;
        }
    }
}
