package io.kbench.controller.command;

import io.kbench.controller.run.ControlPlane;
import io.kbench.protocol.message.StopRun;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kbench stop RUN}: stops every agent of a run. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop every agent of a run (StopRun).")
public final class StopCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "RUN", description = "The run id.")
    String runId;

    @Override
    public Integer call() throws Exception {
        try (ControlPlane control = cluster.controlPlane()) {
            control.connect(Duration.ofSeconds(15));
            control.publishControl(runId, new StopRun(StopRun.Reason.OPERATOR, "kbench stop"));
            System.out.println("StopRun published for " + runId);
            return 0;
        }
    }
}
