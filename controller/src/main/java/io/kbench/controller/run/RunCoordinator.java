package io.kbench.controller.run;

import io.kbench.controller.config.BenchmarkFiles;
import io.kbench.controller.config.DriverConfig;
import io.kbench.controller.mode.C2AfterWarmup;
import io.kbench.controller.mode.RunPlaybook;
import io.kbench.controller.plan.AgentPlanner;
import io.kbench.controller.plan.AgentPlanner.WorkerSlot;
import io.kbench.controller.result.ResultFiles;
import io.kbench.controller.run.RunLifecycle.Action;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.Workload;
import io.kbench.protocol.registry.RegistryView;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one benchmark (docs/architecture.md, A run): check the fleet, create topics, then hand the run to its
 * {@link RunLifecycle} (publish the plan, wait for every agent, start them at one instant, follow the windows,
 * take the summary), write the result files from how it ended, and delete the topics. A failed or interrupted run
 * still writes what was measured.
 */
public final class RunCoordinator {

    /** How often every agent of a run sends a stats report (the benchmarks give their agents the same). */
    public static final int STATS_INTERVAL_MS = 1000;

    private final ControlPlane control;
    private final PrintStream out;
    private final AtomicBoolean interrupted;
    private final RunTimings timings;

    public RunCoordinator(ControlPlane control, PrintStream out, AtomicBoolean interrupted) {
        this(control, out, interrupted, RunTimings.DEFAULTS);
    }

    public RunCoordinator(ControlPlane control, PrintStream out, AtomicBoolean interrupted, RunTimings timings) {
        this.control = control;
        this.out = out;
        this.interrupted = interrupted;
        this.timings = timings;
    }

    public RunOutcome run(RunRequest request) throws InterruptedException {
        Workload workload = request.workload().workload();
        DriverConfig driver = request.driver().driver();
        String source = request.driver().source();
        String runId = newRunId(workload.name(), clock());
        // Sweep points and library callers come here without BenchmarkRunner's checks: a message the producer
        // would refuse must fail before anything starts.
        BenchmarkFiles.requireFits(request.workload(), request.driver());

        control.connect(timings.clusterTimeout());
        // One read of the registry answers both questions.
        RegistryView registry = control.registry(timings.clusterTimeout());
        RunPreflight preflight = new RunPreflight(control, out);
        List<WorkerSlot> workers = preflight.chooseWorkers(request, registry);
        preflight.requireAggregator(registry);

        RunPreflight.Target under = preflight.target(request, driver, source);
        String target = under.bootstrap();
        out.println("cluster under test: " + target + " (" + under.origin() + ")");
        Map<String, String> producerConfig = AgentPlanner.clientConfig(driver, source, true);
        Map<String, String> consumerConfig = AgentPlanner.clientConfig(driver, source, false);

        try (BenchmarkTopics benchmarkTopics = new BenchmarkTopics(
                target,
                request.targetClientConfig(),
                timings.clusterTimeout(),
                under.origin() + "; " + under.override())) {
            preflight.requireMessageFits(benchmarkTopics, request, workload);
            List<String> topics = preflight.prepareTopics(benchmarkTopics, runId, workload, driver, source);
            boolean createdTopics = workload.existingTopics().isEmpty();
            try {
                AgentPlanner.Plan plan = AgentPlanner.plan(
                        runId, workload, topics, target, producerConfig, consumerConfig, workers, STATS_INTERVAL_MS);
                return runPlan(
                        request,
                        new Placement(
                                runId,
                                target,
                                topics,
                                plan,
                                WorkerClocks.of(registry, plan.agentsPerWorker().keySet())));
            } finally {
                if (createdTopics && !request.keepTopics()) {
                    benchmarkTopics.delete(topics);
                }
            }
        }
    }

    /**
     * Where a run goes: its id, the cluster under test, its topics, its agents over the workers, and the workers'
     * clock offsets as their last heartbeats said.
     */
    private record Placement(
            String runId, String target, List<String> topics, AgentPlanner.Plan plan, WorkerClocks clocks) {}

    private RunOutcome runPlan(RunRequest request, Placement placement) {
        Workload workload = request.workload().workload();
        DriverConfig driver = request.driver().driver();
        String runId = placement.runId();
        long warmupMs = workload.warmupDuration().toMillis();
        long measureMs = workload.testDuration().toMillis();
        RunPlaybook playbook = RunPlaybook.of(workload, warmupMs, measureMs);
        C2AfterWarmup.Decision c2 = request.agentC2AfterWarmup().decide(workload, warmupMs);
        long now = clock().millis();
        RunSpec spec = new RunSpec(
                workload.name(),
                driver.name(),
                workload,
                driverMap(driver),
                placement.plan().agentIds(),
                placement.plan().agentsPerWorker(),
                placement.topics(),
                workload.subscriptionsPerTopic(),
                warmupMs,
                measureMs,
                STATS_INTERVAL_MS,
                workload.statsWindowSeconds(),
                request.sweepId(),
                request.sweepScale(),
                now);
        // Agents may live until ready + warm-up + measurement + slack; after that they stop on their own.
        long assignmentDeadline = timings.assignmentDeadline(
                now, request.readyTimeout(), warmupMs + measureMs + playbook.extraBudgetMs());
        int agentsPerJvm = request.agentsPerJvm() != null ? request.agentsPerJvm() : workload.agentsPerJvm();
        List<RunAssignment> assignments =
                placement.plan().assignments(runId, agentsPerJvm, request.agentJvmOptions(), assignmentDeadline);
        RunProgress progress = new RunProgress(
                out, runId, workload, placement.plan().agentsPerWorker(), placement.topics(), placement.target());
        RunLifecycle lifecycle =
                new RunLifecycle(runId, spec, assignments, playbook, request.readyTimeout(), timings, c2.stops());
        placement.clocks().line().ifPresent(out::println);
        out.println(c2.line());

        try (RunEvents events =
                new RunEvents(control.reader(), control.topics(), control.codec(), runId, playbook.followsReports())) {
            RunLoop loop = new RunLoop(
                    RunChannel.of(control, events, runId), clock(), progress, interrupted, timings.pollInterval());
            return write(request, runId, spec, playbook, c2, placement.clocks(), loop.run(lifecycle));
        }
    }

    /** Writes the result files of a finished run. */
    private RunOutcome write(
            RunRequest request,
            String runId,
            RunSpec spec,
            RunPlaybook playbook,
            C2AfterWarmup.Decision c2,
            WorkerClocks clocks,
            Action.Finish end) {
        // The controller knows how the run ended (an interrupt can race the agents' last reports to the
        // aggregator, which then sees a complete run): the files carry the controller's status.
        // Without the aggregator's summary (a run that could not start, one cut before it summarized) the files
        // still say why in statusReason, as the console does.
        RunSummary result = end.summary() == null
                ? PartialSummary.fromWindows(runId, spec, end.status(), end.problem(), end.windows())
                : end.summary().status() == end.status()
                        ? end.summary()
                        : end.summary().withStatus(end.status(), end.problem());
        Map<String, Object> extras = new java.util.LinkedHashMap<>(playbook.extras());
        extras.put("agentC2AfterWarmup", c2.stops() ? "stopped" : "kept");
        if (!clocks.offsets().isEmpty()) {
            extras.put("clockOffsets", clocks.result());
        }
        List<Path> files = ResultFiles.write(request.outputDir(), request.resultName(), spec, result, extras, clock());
        return new RunOutcome(runId, end.status(), result, extras, spec.topics(), files, end.problem());
    }

    private Clock clock() {
        return control.codec().clock();
    }

    private static Map<String, Object> driverMap(DriverConfig driver) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", driver.name());
        map.put("replicationFactor", driver.replicationFactor());
        map.put("topicConfig", driver.topicConfig());
        map.put("commonConfig", driver.commonConfig());
        map.put("producerConfig", driver.producerConfig());
        map.put("consumerConfig", driver.consumerConfig());
        return map;
    }

    /** {@code <slug>-yyyyMMdd-HHmmss-<hex>}, the time in this host's zone (as {@link Leftovers} reads it back). */
    static String newRunId(String workloadName, Clock clock) {
        String slug = workloadName
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        if (slug.length() > 24) {
            slug = slug.substring(0, 24).replaceAll("-$", "");
        }
        String time = LocalDateTime.ofInstant(clock.instant(), ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String random = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        return (slug.isEmpty() ? "run" : slug) + "-" + time + "-" + random;
    }

    /** The fleet cannot run the benchmark (no worker, no aggregator, too small). */
    public static final class FleetProblem extends RuntimeException {
        public FleetProblem(String message) {
            super(message);
        }
    }
}
