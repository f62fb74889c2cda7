package io.kbench.controller.command;

import io.kbench.controller.config.BenchmarkFiles;
import io.kbench.controller.local.LocalMode;
import io.kbench.controller.run.ControlPlane;
import io.kbench.local.LocalFleet;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kbench local}: a self-contained run — broker, aggregator and one worker daemon in this process. */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Run OMB workloads on an embedded Kafka broker with an in-process aggregator and worker daemon.",
            "Agents are still real JVMs, one per producer or consumer. Nothing needs to be installed or started.",
            "Example: kbench local workloads/quick-start.yaml"
        })
public final class LocalCommand implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "Fixed port for the embedded broker. Default: a free port.")
    Integer port;

    @Option(
            names = "--log-dir",
            paramLabel = "DIR",
            defaultValue = "kbench-logs",
            description = "Where agents' output goes. Default: ${DEFAULT-VALUE}.")
    Path logDir;

    @Option(
            names = "--max-agents",
            paramLabel = "N",
            defaultValue = "64",
            description = "Capacity of the local worker. Default: ${DEFAULT-VALUE}.")
    int maxAgents;

    @Option(
            names = "--aggregator-metrics-port",
            paramLabel = "PORT",
            defaultValue = "-1",
            description = "Port of the aggregator's Prometheus /metrics and /health endpoints; 0 takes a free port,"
                    + " -1 serves none. Default: ${DEFAULT-VALUE}.")
    int aggregatorMetricsPort;

    @Option(
            names = "--worker-metrics-port",
            paramLabel = "PORT",
            defaultValue = "-1",
            description = "Port of the worker daemon's Prometheus /metrics and /health endpoints; 0 takes a free port,"
                    + " -1 serves none. Default: ${DEFAULT-VALUE}.")
    int workerMetricsPort;

    @Override
    public Integer call() throws Exception {
        // Check the files before starting anything: a typo should cost milliseconds, not a broker start.
        BenchmarkRunner.Benchmarks benchmarks = BenchmarkRunner.Benchmarks.load(options);
        if (maxAgents < 1) {
            throw new io.kbench.controller.config.InputError("--max-agents must be >= 1, got " + maxAgents);
        }
        LocalMode.require("kbench local");
        // With --agents-per-jvm auto, --max-agents bounds the JVMs: the local worker (whose capacity counts agents)
        // is sized to the largest workload, and the agents are packed into at most --max-agents JVMs.
        boolean auto = Integer.valueOf(0).equals(options.agentsPerJvm());
        int capacity = auto
                ? Math.max(
                        maxAgents,
                        benchmarks.workloads().stream()
                                .mapToInt(w -> w.workload().totalProducers()
                                        + w.workload().totalConsumers())
                                .max()
                                .orElse(0))
                : maxAgents;
        System.out.println("starting embedded broker, aggregator and worker daemon...");
        int exit;
        java.util.concurrent.atomic.AtomicBoolean interrupted;
        try (Interruption interruption = Interruption.install();
                LocalFleet fleet = LocalFleet.start(new LocalFleet.Settings(
                        KbenchTopics.DEFAULT_PREFIX,
                        capacity,
                        logDir,
                        port,
                        aggregatorMetricsPort,
                        workerMetricsPort,
                        options.targetBootstrap,
                        BenchmarkFiles.payloadDirectory(benchmarks.workloads()).orElse(null),
                        // Several workloads: the next run's agent JVMs boot while the worker is idle in between.
                        benchmarks.workloads().size() > 1 ? Math.min(capacity, WorkerConfig.DEFAULT_WARM_AGENTS) : 0,
                        // The first run's boot while the fleet and the controller get ready.
                        LocalMode.firstRunJvms(
                                benchmarks.workloads().get(0).workload(),
                                options.agentsPerJvm(),
                                options.agentJvmOptions(),
                                maxAgents,
                                capacity)));
                ControlPlane control = LocalMode.controlPlane(fleet)) {
            System.out.println("local fleet ready on " + fleet.bootstrapServers());
            if (options.targetBootstrap != null) {
                System.out.println("cluster under test: " + options.targetBootstrap
                        + " (--target-bootstrap); the embedded broker carries only kbench's control topics");
            }
            if (fleet.aggregatorMetricsPort() > 0) {
                System.out.println(
                        "aggregator metrics: http://localhost:" + fleet.aggregatorMetricsPort() + "/metrics");
            }
            fleet.workerMetricsPort()
                    .ifPresent(p -> System.out.println("worker metrics: http://localhost:" + p + "/metrics"));
            interrupted = interruption.flag();
            exit = BenchmarkRunner.runAll(
                    control,
                    benchmarks,
                    options,
                    java.util.List.of(),
                    0,
                    fleet.bootstrapServers(),
                    auto ? maxAgents : 0,
                    interruption.flag(),
                    System.out);
        }
        // After the fleet closed: its shutdown's classes are loaded too, and the broker's threads are gone.
        LocalMode.keepClassData(interrupted, System.out);
        return exit;
    }
}
