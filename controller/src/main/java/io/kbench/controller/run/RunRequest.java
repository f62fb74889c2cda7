package io.kbench.controller.run;

import io.kbench.controller.config.BenchmarkFiles.LoadedDriver;
import io.kbench.controller.config.BenchmarkFiles.LoadedWorkload;
import io.kbench.controller.mode.C2AfterWarmup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One run to do.
 *
 * @param targetBootstrap the cluster under test; {@code null}: the driver's {@code bootstrap.servers}, else the
 *     control cluster
 * @param workers how many live workers to use (0: all) ...
 * @param workerIds ... or exactly these
 * @param sweepId shared by the runs of a sweep, else {@code null}
 * @param agentsPerJvm agents per JVM for this run, overriding the workload's {@code agentsPerJvm}; {@code null}:
 *     the workload's
 * @param targetOrigin where {@code targetBootstrap} came from, for messages ({@code null}: {@code
 *     --target-bootstrap})
 * @param agentJvmOptions JVM options for every agent JVM of the run ({@code --agent-jvm-option}); each worker daemon
 *     admits only those on its allow list, and refuses the assignment otherwise
 * @param agentC2AfterWarmup whether the agents stop C2 as the warm-up ends ({@code --agent-c2-after-warmup});
 *     {@code null}: {@link C2AfterWarmup#AUTO}
 */
public record RunRequest(
        LoadedWorkload workload,
        LoadedDriver driver,
        String targetBootstrap,
        Map<String, String> targetClientConfig,
        int workers,
        List<String> workerIds,
        Path outputDir,
        boolean keepTopics,
        String sweepId,
        Double sweepScale,
        Duration readyTimeout,
        String targetOrigin,
        Integer agentsPerJvm,
        List<String> agentJvmOptions,
        C2AfterWarmup agentC2AfterWarmup) {

    /** A request whose target, if any, came from {@code --target-bootstrap}. */
    public RunRequest(
            LoadedWorkload workload,
            LoadedDriver driver,
            String targetBootstrap,
            Map<String, String> targetClientConfig,
            int workers,
            List<String> workerIds,
            Path outputDir,
            boolean keepTopics,
            String sweepId,
            Double sweepScale,
            Duration readyTimeout) {
        this(
                workload,
                driver,
                targetBootstrap,
                targetClientConfig,
                workers,
                workerIds,
                outputDir,
                keepTopics,
                sweepId,
                sweepScale,
                readyTimeout,
                null,
                null,
                List.of(),
                C2AfterWarmup.AUTO);
    }

    public RunRequest {
        targetClientConfig = targetClientConfig == null ? Map.of() : Map.copyOf(targetClientConfig);
        workerIds = workerIds == null ? List.of() : List.copyOf(workerIds);
        agentJvmOptions = agentJvmOptions == null ? List.of() : List.copyOf(agentJvmOptions);
        agentC2AfterWarmup = agentC2AfterWarmup == null ? C2AfterWarmup.AUTO : agentC2AfterWarmup;
        readyTimeout = readyTimeout == null ? RunTimings.DEFAULTS.readyTimeout() : readyTimeout;
    }

    /** What the result files are named after: the workload file, as OMB names them. */
    public String resultName() {
        return io.kbench.controller.result.ResultFiles.baseName(workload.file());
    }
}
