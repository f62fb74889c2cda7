package io.kbench.controller.command;

import io.kbench.controller.config.BenchmarkFiles;
import io.kbench.controller.config.BenchmarkFiles.LoadedDriver;
import io.kbench.controller.config.BenchmarkFiles.LoadedWorkload;
import io.kbench.controller.config.InputError;
import io.kbench.controller.local.LocalMode;
import io.kbench.controller.mode.SweepPlan;
import io.kbench.controller.mode.SweepReport;
import io.kbench.controller.run.BenchmarkTopics;
import io.kbench.controller.run.ControlPlane;
import io.kbench.controller.run.RunCoordinator;
import io.kbench.controller.run.RunOutcome;
import io.kbench.controller.run.RunRequest;
import io.kbench.local.LocalFleet;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.SweepSummary;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.worker.WorkerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kbench sweep}: kbench's scalability test, one run per point, efficiency per point. */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = {
            "Run a workload at several scales and report each point's scaling efficiency.",
            "Against the smallest point: throughput efficiency (T_n/T_1)/(n/1), p99 latency growth"
                    + " (p99_n - p99_1)/p99_1, msg/s per 1 %% CPU.",
            "Example: kbench sweep --local --producers 1,5,10 --consumers 4 --rate-per-producer 2000"
                    + " workloads/quick-start.yaml"
        })
public final class SweepCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Mixin
    RunOptions options;

    @Option(
            names = "--producers",
            paramLabel = "N,...",
            split = ",",
            description = "Sweep producers per topic over these values.")
    List<Integer> producers;

    @Option(
            names = "--consumers",
            paramLabel = "N,...",
            split = ",",
            description = "Consumers per subscription: one value fixes it for a producer or size sweep; "
                    + "several values sweep it.")
    List<Integer> consumers;

    @Option(
            names = "--message-size",
            paramLabel = "BYTES,...",
            split = ",",
            description = "Sweep message sizes over these values (randomized payloads).")
    List<Integer> sizes;

    @Option(
            names = "--rate-per-producer",
            paramLabel = "MSG/S",
            description = "Each point's total rate is this × its producers (a per-producer reading). "
                    + "Default: each producer keeps the workload's per-producer share.")
    Double ratePerProducer;

    @Option(names = "--local", description = "Run on an embedded broker with an in-process aggregator and worker.")
    boolean local;

    /** The swept dimension: the one list with several values, or the only one given. */
    private SweepPlan.Dimension dimension() {
        List<SweepPlan.Dimension> swept = new ArrayList<>();
        if (producers != null && (producers.size() > 1 || (consumers == null && sizes == null))) {
            swept.add(SweepPlan.Dimension.PRODUCERS);
        }
        if (consumers != null && (consumers.size() > 1 || (producers == null && sizes == null))) {
            swept.add(SweepPlan.Dimension.CONSUMERS);
        }
        if (sizes != null && (sizes.size() > 1 || (producers == null && consumers == null))) {
            swept.add(SweepPlan.Dimension.MESSAGE_SIZE);
        }
        if (swept.size() != 1) {
            throw new InputError("a sweep varies exactly one of --producers, --consumers, --message-size "
                    + "(several values); the others may fix one value");
        }
        return swept.get(0);
    }

    private List<Integer> values(SweepPlan.Dimension dimension) {
        return switch (dimension) {
            case PRODUCERS -> producers;
            case CONSUMERS -> consumers;
            case MESSAGE_SIZE -> sizes;
        };
    }

    @Override
    public Integer call() throws Exception {
        BenchmarkRunner.Benchmarks benchmarks = BenchmarkRunner.Benchmarks.load(options);
        List<LoadedWorkload> workloads = benchmarks.workloads();
        List<LoadedDriver> drivers = benchmarks.drivers();
        if (workloads.size() != 1 || drivers.size() != 1) {
            throw new InputError("a sweep takes one workload and at most one driver, got " + workloads.size()
                    + " workload(s) and " + drivers.size() + " driver(s)");
        }
        LoadedWorkload base = workloads.get(0);
        SweepPlan.Dimension dimension = dimension();
        var workload = base.workload();
        // Single values of the other dimensions fix them at every point.
        if (dimension != SweepPlan.Dimension.CONSUMERS && consumers != null) {
            workload = SweepPlan.fixed(workload, SweepPlan.Dimension.CONSUMERS, consumers.get(0));
        }
        if (dimension != SweepPlan.Dimension.MESSAGE_SIZE && sizes != null) {
            workload = SweepPlan.fixed(workload, SweepPlan.Dimension.MESSAGE_SIZE, sizes.get(0));
        }
        if (dimension != SweepPlan.Dimension.PRODUCERS && producers != null) {
            workload = SweepPlan.fixed(workload, SweepPlan.Dimension.PRODUCERS, producers.get(0));
        }
        List<Integer> values = values(dimension);
        List<SweepPlan.Point> points = SweepPlan.points(workload, dimension, values, ratePerProducer);
        String sweepId = "sweep-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        int capacity = points.stream()
                .mapToInt(p -> p.workload().totalProducers() + p.workload().totalConsumers())
                .max()
                .orElse(1);
        if (local) {
            LocalMode.require("kbench sweep --local");
        }
        try (Interruption interruption = Interruption.install()) {
            if (local) {
                System.out.println("starting embedded broker, aggregator and worker daemon...");
                int exit;
                try (LocalFleet fleet = LocalFleet.start(new LocalFleet.Settings(
                                KbenchTopics.DEFAULT_PREFIX,
                                Math.max(capacity, 64),
                                options.outputDir.resolve("logs"),
                                null,
                                -1,
                                -1,
                                options.targetBootstrap,
                                BenchmarkFiles.payloadDirectory(benchmarks.workloads())
                                        .orElse(null),
                                // The next point's agent JVMs boot while the worker is idle between points.
                                Math.min(capacity, WorkerConfig.DEFAULT_WARM_AGENTS),
                                // The first point's boot while the fleet gets ready (auto keeps the workload's
                                // agentsPerJvm in a sweep).
                                LocalMode.firstRunJvms(
                                        points.get(0).workload(),
                                        Integer.valueOf(0).equals(options.agentsPerJvm())
                                                ? null
                                                : options.agentsPerJvm(),
                                        options.agentJvmOptions(),
                                        1,
                                        Math.max(capacity, 64))));
                        ControlPlane control = LocalMode.controlPlane(fleet)) {
                    exit = sweep(
                            control,
                            base,
                            drivers.get(0),
                            dimension,
                            values,
                            points,
                            sweepId,
                            // As in kbench local: the user's cluster under test wins over the embedded broker.
                            options.targetBootstrap != null ? options.targetBootstrap : fleet.bootstrapServers(),
                            interruption.flag(),
                            System.out);
                }
                LocalMode.keepClassData(interruption.flag(), System.out);
                return exit;
            }
            try (ControlPlane control = cluster.controlPlane()) {
                return sweep(
                        control,
                        base,
                        drivers.get(0),
                        dimension,
                        values,
                        points,
                        sweepId,
                        options.targetBootstrap,
                        interruption.flag(),
                        System.out);
            }
        }
    }

    private int sweep(
            ControlPlane control,
            LoadedWorkload base,
            LoadedDriver driver,
            SweepPlan.Dimension dimension,
            List<Integer> values,
            List<SweepPlan.Point> points,
            String sweepId,
            String target,
            AtomicBoolean interrupted,
            PrintStream out)
            throws InterruptedException {
        String dimensionName = dimension.name().toLowerCase(Locale.ROOT);
        out.printf(Locale.ROOT, "sweep %s: %s = %s%n", sweepId, dimensionName, values);
        RunCoordinator coordinator = new RunCoordinator(control, out, interrupted);
        List<RunOutcome> outcomes = new ArrayList<>();
        int exit = 0;
        try {
            for (SweepPlan.Point point : points) {
                if (interrupted.get()) {
                    exit = 130;
                    break;
                }
                awaitIdleWorkers(control);
                // Topics stay until the last point: a deleted topic's files are removed about a minute later,
                // and that disk work would distort the next point (docs/architecture.md, Measurement).
                RunOutcome outcome = coordinator.run(new RunRequest(
                        new LoadedWorkload(base.file(), point.workload()),
                        driver,
                        target,
                        control.clientConfig(),
                        0,
                        List.of(),
                        options.outputDir,
                        true,
                        sweepId,
                        point.scale(),
                        Duration.ofSeconds(options.readyTimeoutSeconds),
                        options.targetBootstrap != null
                                ? "from --target-bootstrap"
                                : target != null ? "the embedded broker of kbench sweep --local" : null,
                        BenchmarkRunner.agentsPerJvm(
                                options.agentsPerJvm(), new LoadedWorkload(base.file(), point.workload()), 0, out),
                        options.agentJvmOptions(),
                        options.agentC2AfterWarmup()));
                outcomes.add(outcome);
                out.printf(
                        Locale.ROOT,
                        "  point %s=%.0f: %s, %,.0f msg/s%n",
                        dimensionName,
                        point.scale(),
                        outcome.status(),
                        outcome.summary().rates().publishRate());
                if (outcome.status() != RunStatus.COMPLETE) {
                    out.println("  sweep stopped: " + outcome.problem());
                    exit = outcome.exitCode();
                    break;
                }
            }
        } finally {
            if (!options.keepTopics) {
                deleteTopics(control, target, outcomes);
            }
        }
        long completed =
                outcomes.stream().filter(o -> o.status() == RunStatus.COMPLETE).count();
        Optional<SweepSummary> sweep = awaitSweep(control, sweepId, completed);
        if (sweep.isEmpty()) {
            out.println("  no SweepSummary with " + completed + " point(s) from the aggregator within 30 s;"
                    + " the runs' own result files are written");
            return Math.max(exit, 1);
        }
        SweepReport.print(out, sweep.get(), dimensionName);
        List<Path> sweepFiles = SweepReport.write(options.outputDir, sweep.get(), dimensionName);
        sweepFiles.forEach(f -> out.println("  wrote " + f));
        if (options.report) {
            BenchmarkRunner.report(sweepFiles.get(0), out);
        }
        return exit;
    }

    /** Never start a point while another's agents live. */
    private static void awaitIdleWorkers(ControlPlane control) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            boolean busy = control.live(MemberRole.WORKER, Duration.ofSeconds(10)).stream()
                    .anyMatch(m -> m.heartbeat().runningAgents() > 0);
            if (!busy) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    private static void deleteTopics(ControlPlane control, String target, List<RunOutcome> outcomes) {
        List<String> topics =
                outcomes.stream().flatMap(o -> o.topics().stream()).toList();
        if (topics.isEmpty()) {
            return;
        }
        try (BenchmarkTopics admin = new BenchmarkTopics(
                target != null ? target : control.bootstrap(), control.clientConfig(), Duration.ofSeconds(15))) {
            admin.delete(topics);
        }
    }

    private static Optional<SweepSummary> awaitSweep(ControlPlane control, String sweepId, long points)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Message message = ResultsReader.lastByKey(control, control.topics().results(), Duration.ofSeconds(10))
                    .get(sweepId + "/SweepSummary");
            if (message instanceof SweepSummary sweep && sweep.points().size() >= points) {
                return Optional.of(sweep);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return Optional.empty();
    }
}
