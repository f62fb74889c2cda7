package io.kbench.controller.command;

import io.kbench.controller.config.BenchmarkFiles;
import io.kbench.controller.config.BenchmarkFiles.LoadedDriver;
import io.kbench.controller.config.BenchmarkFiles.LoadedWorkload;
import io.kbench.controller.config.DriverConfig;
import io.kbench.controller.config.InputError;
import io.kbench.controller.mode.MaxRateDiscovery;
import io.kbench.controller.plan.AgentPlanner;
import io.kbench.controller.report.Reports;
import io.kbench.controller.result.SummaryTable;
import io.kbench.controller.run.ControlPlane;
import io.kbench.controller.run.RunCoordinator;
import io.kbench.controller.run.RunOutcome;
import io.kbench.controller.run.RunRequest;
import io.kbench.protocol.message.Workload;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs every workload × driver one after another on a control plane, prints each summary, and turns Ctrl-C into
 * a clean stop: agents stopped through StopRun, what was measured written, exit 130.
 */
final class BenchmarkRunner {

    private BenchmarkRunner() {}

    /** Loads every file first, so a bad one fails before anything starts. */
    static List<LoadedWorkload> workloads(RunOptions options) {
        if (options.durationSeconds != null && options.durationSeconds < 1) {
            throw new InputError("--duration must be >= 1 second, got " + options.durationSeconds);
        }
        if (options.warmupSeconds != null && options.warmupSeconds < 0) {
            throw new InputError("--warmup must be >= 0 seconds, got " + options.warmupSeconds);
        }
        List<LoadedWorkload> out = new ArrayList<>();
        for (Path file : options.workloads) {
            LoadedWorkload loaded = BenchmarkFiles.workload(file);
            LoadedWorkload overridden = new LoadedWorkload(
                    loaded.file(), loaded.workload().withDurations(options.durationSeconds, options.warmupSeconds));
            BenchmarkFiles.requireRunnable(overridden);
            out.add(overridden);
        }
        return out;
    }

    static List<LoadedDriver> drivers(List<Path> files) {
        List<LoadedDriver> out = new ArrayList<>();
        files.forEach(f -> out.add(BenchmarkFiles.driver(f)));
        if (out.isEmpty()) {
            out.add(new LoadedDriver(null, DriverConfig.defaults()));
        }
        return out;
    }

    /** The files of a command, loaded and checked once, before anything starts. */
    record Benchmarks(List<LoadedWorkload> workloads, List<LoadedDriver> drivers) {
        static Benchmarks load(RunOptions options) {
            if (options.readyTimeoutSeconds < 1) {
                throw new InputError("--ready-timeout must be >= 1, got " + options.readyTimeoutSeconds);
            }
            options.agentsPerJvm(); // the command line's own checks, before anything starts
            options.agentJvmOptions();
            Benchmarks benchmarks =
                    new Benchmarks(BenchmarkRunner.workloads(options), BenchmarkRunner.drivers(options.drivers));
            // A message the producer or topic would refuse fails here, in milliseconds, not as a 0 msg/s run.
            for (LoadedWorkload workload : benchmarks.workloads()) {
                for (LoadedDriver driver : benchmarks.drivers()) {
                    BenchmarkFiles.requireFits(workload, driver);
                }
            }
            return benchmarks;
        }
    }

    /**
     * Agents per JVM for one workload: {@code --agents-per-jvm N} as given; {@code auto} in kbench local (where
     * {@code localJvmBudget} JVMs may run) the fewest per JVM that fit, said in one line. A fleet's workers count
     * their capacity in agents, so there {@code auto} keeps the workload's value and says why.
     */
    static Integer agentsPerJvm(Integer option, LoadedWorkload workload, int localJvmBudget, PrintStream out) {
        if (option == null || option > 0) {
            return option;
        }
        Workload w = workload.workload();
        int agents = w.totalProducers() + w.totalConsumers();
        if (localJvmBudget > 0) {
            AgentPlanner.Packing packing = AgentPlanner.pack(agents, localJvmBudget, 1);
            out.println(packing.line());
            return packing.perJvm();
        }
        out.println("--agents-per-jvm auto: workers count their capacity in agents, not JVMs, so packing does not "
                + "change what fits; using the workload's agentsPerJvm " + w.agentsPerJvm());
        return null;
    }

    /**
     * {@code --report}: the HTML report of a result file (a run's or a sweep's), beside it. A report that cannot
     * be drawn is said in one line; the run's outcome stands.
     */
    static void report(Path resultFile, PrintStream out) {
        try {
            out.println(
                    "  wrote " + Reports.write(List.of(resultFile), null, false).report());
        } catch (RuntimeException e) {
            out.println("  no report written for " + resultFile + ": " + e.getMessage());
        }
    }

    static int runAll(
            ControlPlane control,
            Benchmarks benchmarks,
            RunOptions options,
            List<String> workerIds,
            int workerCount,
            String forcedTarget,
            int localJvmBudget,
            AtomicBoolean interrupted,
            PrintStream out)
            throws InterruptedException {
        int exit = 0;
        RunCoordinator coordinator = new RunCoordinator(control, out, interrupted);
        // Said before anything starts, so a user can stop and lengthen the run instead of waiting for nothing.
        benchmarks.workloads().forEach(w -> MaxRateDiscovery.tooShort(w.workload())
                .ifPresent(warning -> out.println("warning: " + warning)));
        for (LoadedWorkload workload : benchmarks.workloads()) {
            for (LoadedDriver driver : benchmarks.drivers()) {
                if (interrupted.get()) {
                    return 130;
                }
                // The user's --target-bootstrap wins over kbench local's embedded broker, which then carries only
                // the control topics.
                String target = options.targetBootstrap != null ? options.targetBootstrap : forcedTarget;
                String origin = options.targetBootstrap != null
                        ? "from --target-bootstrap"
                        : forcedTarget != null ? "the embedded broker of kbench local" : null;
                Integer agentsPerJvm = agentsPerJvm(options.agentsPerJvm(), workload, localJvmBudget, out);
                RunOutcome outcome = coordinator.run(new RunRequest(
                        workload,
                        driver,
                        target,
                        control.clientConfig(),
                        workerCount,
                        workerIds,
                        options.outputDir,
                        options.keepTopics,
                        null,
                        null,
                        Duration.ofSeconds(options.readyTimeoutSeconds),
                        origin,
                        agentsPerJvm,
                        options.agentJvmOptions(),
                        options.agentC2AfterWarmup()));
                SummaryTable.print(out, outcome.summary());
                outcome.files().forEach(f -> out.println("  wrote " + f));
                if (options.report && !outcome.files().isEmpty()) {
                    report(outcome.files().get(0), out);
                }
                if (outcome.extras().get("notice") instanceof String notice) {
                    out.println("  " + notice);
                }
                if (outcome.problem() != null) {
                    out.println("  run " + outcome.status() + ": " + outcome.problem());
                }
                exit = Math.max(exit, outcome.exitCode());
            }
        }
        return exit;
    }
}
