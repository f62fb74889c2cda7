package io.kbench.controller.run;

import io.kbench.controller.config.BenchmarkFiles;
import io.kbench.controller.config.DriverConfig;
import io.kbench.controller.mode.RunPlaybook;
import io.kbench.controller.plan.AgentPlanner;
import io.kbench.controller.plan.AgentPlanner.WorkerSlot;
import io.kbench.controller.result.ResultFiles;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.AssignmentRejected;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.message.Workload;
import io.kbench.protocol.registry.RegistryView;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one benchmark through its lifecycle (docs/architecture.md, A run): check the fleet, create topics, publish the plan,
 * wait for every agent to be ready, start them at one instant, follow the windows, write the results from the
 * aggregator's summary, stop the agents and delete the topics. A failed or interrupted run still writes what
 * was measured.
 */
public final class RunCoordinator {

    private static final Logger LOGGER = LoggerFactory.getLogger(RunCoordinator.class);
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration START_LEAD = Duration.ofMillis(1500);
    private static final Duration SUMMARY_GRACE = Duration.ofSeconds(30);
    /** After an interrupt, how long the agents' last reports and the aggregator's summary are waited for. */
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(15);
    /** After an abort, the aggregator waits its stop grace (5 s) for last reports, then summarizes. */
    private static final Duration ABORT_WAIT = Duration.ofSeconds(30);

    private static final int STATS_INTERVAL_MS = 1000;

    private final ControlPlane control;
    private final PrintStream out;
    private final AtomicBoolean interrupted;

    public RunCoordinator(ControlPlane control, PrintStream out, AtomicBoolean interrupted) {
        this.control = control;
        this.out = out;
        this.interrupted = interrupted;
    }

    public RunOutcome run(RunRequest request) throws InterruptedException {
        Workload workload = request.workload().workload();
        DriverConfig driver = request.driver().driver();
        String source = request.driver().source();
        String runId = newRunId(workload.name());
        // Sweep points and library callers come here without BenchmarkRunner's checks: a message the producer
        // would refuse must fail before anything starts.
        BenchmarkFiles.requireFits(request.workload(), request.driver());

        control.connect(CLUSTER_TIMEOUT);
        // One read of the registry answers both questions.
        RegistryView registry = control.registry(CLUSTER_TIMEOUT);
        List<WorkerSlot> workers = chooseWorkers(request, registry);
        requireAggregator(registry);

        Target under = targetBootstrap(request, driver, source);
        String target = under.bootstrap();
        out.println("cluster under test: " + target + " (" + under.origin() + ")");
        Map<String, String> producerConfig = AgentPlanner.clientConfig(driver, source, true);
        Map<String, String> consumerConfig = AgentPlanner.clientConfig(driver, source, false);

        try (BenchmarkTopics benchmarkTopics = new BenchmarkTopics(
                target, request.targetClientConfig(), CLUSTER_TIMEOUT, under.origin() + "; " + under.override())) {
            requireMessageFits(benchmarkTopics, request, workload);
            List<String> topics = prepareTopics(benchmarkTopics, runId, workload, driver, source);
            boolean createdTopics = workload.existingTopics().isEmpty();
            try {
                return runOnTopics(
                        request, runId, workload, driver, target, topics, producerConfig, consumerConfig, workers);
            } finally {
                if (createdTopics && !request.keepTopics()) {
                    benchmarkTopics.delete(topics);
                }
            }
        }
    }

    private RunOutcome runOnTopics(
            RunRequest request,
            String runId,
            Workload workload,
            DriverConfig driver,
            String target,
            List<String> topics,
            Map<String, String> producerConfig,
            Map<String, String> consumerConfig,
            List<WorkerSlot> workers)
            throws InterruptedException {
        AgentPlanner.Plan plan = AgentPlanner.plan(
                runId, workload, topics, target, producerConfig, consumerConfig, workers, STATS_INTERVAL_MS);
        long warmupMs = workload.warmupDuration().toMillis();
        long measureMs = workload.testDuration().toMillis();
        RunPlaybook playbook = RunPlaybook.of(workload, warmupMs, measureMs);
        long now = control.codec().clock().millis();
        // Agents may live until ready + warm-up + measurement + grace; after that they stop on their own.
        long assignmentDeadline =
                now + request.readyTimeout().toMillis() + warmupMs + measureMs + playbook.extraBudgetMs() + 60_000;

        RunSpec spec = new RunSpec(
                workload.name(),
                driver.name(),
                workload,
                driverMap(driver),
                plan.agentIds(),
                plan.agentsPerWorker(),
                topics,
                workload.subscriptionsPerTopic(),
                warmupMs,
                measureMs,
                STATS_INTERVAL_MS,
                workload.statsWindowSeconds(),
                request.sweepId(),
                request.sweepScale(),
                now);
        RunProgress progress =
                new RunProgress(out, runId, workload, plan.agentIds().size());

        try (RunEvents events = new RunEvents(control.reader(), control.topics(), control.codec(), runId)) {
            control.publishControl(runId, spec);
            int agentsPerJvm = request.agentsPerJvm() != null ? request.agentsPerJvm() : workload.agentsPerJvm();
            for (RunAssignment assignment : plan.assignments(runId, agentsPerJvm, assignmentDeadline)) {
                control.publishControl(runId, assignment);
            }
            progress.planned(plan.agentsPerWorker(), topics, target);

            String notReady = awaitReady(events, plan.agentIds(), request.readyTimeout(), progress);
            if (notReady != null) {
                control.publishControl(runId, new StopRun(StopRun.Reason.FAILED, notReady));
                return finish(request, spec, runId, RunStatus.FAILED, null, List.of(), notReady, playbook);
            }

            long startAt = control.codec().clock().millis() + START_LEAD.toMillis();
            long deadlineAt = startAt + warmupMs + measureMs + playbook.extraBudgetMs() + 15_000;
            control.publishControl(runId, new StartRun(startAt, warmupMs, playbook.agentMeasureMs(), deadlineAt));
            progress.started(startAt, warmupMs, measureMs);
            playbook.started(startAt);

            return follow(request, spec, runId, events, progress, deadlineAt, playbook);
        }
    }

    /**
     * A StopRun this controller sent before the run's summary came: why, and when. An interrupted run is written
     * from the windows seen if no summary comes within {@link #INTERRUPT_WAIT}; an aborted run (part of the fleet
     * failed) waits for the aggregator's verdict up to {@link #ABORT_WAIT}, then is written INCOMPLETE.
     */
    private record SentStop(StopRun stop, long at) {
        RunStatus statusIfNoSummary() {
            return stop.reason() == StopRun.Reason.INTERRUPTED ? RunStatus.INTERRUPTED : RunStatus.INCOMPLETE;
        }

        long waitMs() {
            return (stop.reason() == StopRun.Reason.INTERRUPTED ? INTERRUPT_WAIT : ABORT_WAIT).toMillis();
        }
    }

    private RunOutcome follow(
            RunRequest request,
            RunSpec spec,
            String runId,
            RunEvents events,
            RunProgress progress,
            long deadlineAt,
            RunPlaybook playbook)
            throws InterruptedException {
        List<WindowSummary> windows = new ArrayList<>();
        long giveUpAt = deadlineAt + SUMMARY_GRACE.toMillis();
        SentStop sent = null;
        boolean completionSent = false;
        while (true) {
            long now = control.codec().clock().millis();
            if (interrupted.get() && sent == null) {
                sent = sendStop(runId, new StopRun(StopRun.Reason.INTERRUPTED, "interrupted by the user"), now);
                progress.note("interrupted: stopping every agent and collecting what was measured...");
            }
            if (sent != null && now - sent.at() > sent.waitMs()) {
                return finish(
                        request,
                        spec,
                        runId,
                        sent.statusIfNoSummary(),
                        null,
                        windows,
                        sent.stop().detail() + "; no run summary from the aggregator within " + sent.waitMs() / 1000
                                + " s of the stop",
                        playbook);
            }
            if (now > giveUpAt) {
                control.publishControl(runId, new StopRun(StopRun.Reason.FAILED, "no run summary"));
                return finish(
                        request,
                        spec,
                        runId,
                        RunStatus.FAILED,
                        null,
                        windows,
                        "no run summary from the aggregator by " + SUMMARY_GRACE.toSeconds()
                                + " s after the deadline; is `kbench aggregator` running and healthy?",
                        playbook);
            }
            for (Message message : events.poll(Duration.ofMillis(250))) {
                if (message instanceof WindowSummary window) {
                    windows.add(window);
                    progress.window(window);
                    if (sent == null) {
                        completionSent |= publishAll(runId, playbook.onWindow(window, now));
                    }
                } else if (message instanceof RunSummary summary) {
                    boolean interruptedRun = sent != null && sent.stop().reason() == StopRun.Reason.INTERRUPTED;
                    RunStatus status = interruptedRun && summary.status() == RunStatus.COMPLETE
                            ? RunStatus.INTERRUPTED
                            : summary.status();
                    if (sent == null && !completionSent) {
                        control.publishControl(runId, new StopRun(StopRun.Reason.COMPLETED, "run summary received"));
                    }
                    String problem = status == RunStatus.COMPLETE ? null : describe(summary, status, sent);
                    return finish(request, spec, runId, status, summary, windows, problem, playbook);
                } else if (message instanceof AgentFailed failed) {
                    String what = "agent(s) " + failed.agentIds() + " on " + failed.workerId() + " failed: "
                            + failed.reason();
                    progress.note(what);
                    if (sent == null) {
                        // Fail fast: the rest of the fleet would run its schedule out for a run that can no
                        // longer be complete. Stop it now and keep what was measured.
                        sent = sendStop(runId, new StopRun(StopRun.Reason.ABORTED, what), now);
                        progress.note("stopping the run: it can no longer measure everything it asked for");
                    }
                }
            }
            if (sent == null) {
                completionSent |= publishAll(
                        runId, playbook.onTick(control.codec().clock().millis()));
            }
            playbook.news().forEach(progress::note);
            progress.tick();
        }
    }

    private SentStop sendStop(String runId, StopRun stop, long now) {
        control.publishControl(runId, stop);
        return new SentStop(stop, now);
    }

    /** Publishes a playbook's records; true when one of them ends the run. */
    private boolean publishAll(String runId, List<Message> messages) {
        boolean ends = false;
        for (Message message : messages) {
            control.publishControl(runId, message);
            ends |= message instanceof StopRun;
        }
        return ends;
    }

    private static String describe(RunSummary summary, RunStatus status, SentStop sent) {
        if (status == RunStatus.INTERRUPTED && sent != null) {
            return "interrupted by the user";
        }
        if (summary.statusReason() != null) {
            return summary.statusReason();
        }
        if (sent != null) {
            return sent.stop().detail();
        }
        if (!summary.missingAgents().isEmpty()) {
            return "no final report from agent(s) " + summary.missingAgents() + " by the deadline";
        }
        return "run ended " + summary.status();
    }

    /** Waits until every agent is ready; returns why not, or null when all are. */
    private String awaitReady(RunEvents events, List<String> agentIds, Duration timeout, RunProgress progress) {
        Set<String> waiting = new LinkedHashSet<>(agentIds);
        Map<String, String> failures = new LinkedHashMap<>();
        long deadline = control.codec().clock().millis() + timeout.toMillis();
        while (!waiting.isEmpty() && failures.isEmpty()) {
            if (interrupted.get()) {
                return "interrupted by the user before the start";
            }
            if (control.codec().clock().millis() > deadline) {
                return "agents not ready within " + timeout.toSeconds() + " s: " + waiting;
            }
            for (Message message : events.poll(Duration.ofMillis(200))) {
                if (message instanceof AgentReady ready) {
                    waiting.remove(ready.agentId());
                    progress.ready(agentIds.size() - waiting.size());
                } else if (message instanceof AgentFailed failed) {
                    String tail = failed.stderrTail().isEmpty()
                            ? ""
                            : " (last stderr: "
                                    + failed.stderrTail()
                                            .get(failed.stderrTail().size() - 1) + ")";
                    failed.agentIds().forEach(id -> failures.put(id, failed.reason() + tail));
                } else if (message instanceof AssignmentRejected rejected) {
                    failures.put(
                            "worker " + rejected.workerId(),
                            "rejected the assignment: " + rejected.reason() + " " + rejected.detail());
                }
            }
        }
        if (failures.isEmpty()) {
            return null;
        }
        StringBuilder why = new StringBuilder("the run could not start:");
        failures.forEach(
                (who, reason) -> why.append("\n  ").append(who).append(": ").append(reason));
        return why.toString();
    }

    private RunOutcome finish(
            RunRequest request,
            RunSpec spec,
            String runId,
            RunStatus status,
            RunSummary summary,
            List<WindowSummary> windows,
            String problem,
            RunPlaybook playbook) {
        // The controller knows how the run ended (an interrupt can race the agents' last reports to the
        // aggregator, which then sees a complete run): the files carry the controller's status.
        RunSummary result = summary == null
                ? PartialSummary.fromWindows(runId, spec, status, windows)
                : summary.status() == status ? summary : summary.withStatus(status, problem);
        Map<String, Object> extras = playbook.extras();
        List<Path> files = ResultFiles.write(
                request.outputDir(),
                request.resultName(),
                spec,
                result,
                extras,
                control.codec().clock());
        return new RunOutcome(runId, status, result, extras, spec.topics(), files, problem);
    }

    private List<WorkerSlot> chooseWorkers(RunRequest request, RegistryView registry) {
        long now = control.codec().clock().millis();
        List<RegistryView.Member> live = registry.live(MemberRole.WORKER, now);
        if (live.isEmpty()) {
            throw new FleetProblem("no live worker on " + control.bootstrap() + " (topic prefix '"
                    + control.topics().prefix() + "'); start one with `kbench worker --bootstrap-server "
                    + control.bootstrap() + "`, or run `kbench local` for a self-contained run");
        }
        List<RegistryView.Member> chosen = new ArrayList<>(live);
        if (!request.workerIds().isEmpty()) {
            chosen.clear();
            for (String id : request.workerIds()) {
                RegistryView.Member member = live.stream()
                        .filter(m -> m.heartbeat().memberId().equals(id))
                        .findFirst()
                        .orElseThrow(() -> new FleetProblem("worker '" + id + "' is not live; live workers: "
                                + live.stream()
                                        .map(m -> m.heartbeat().memberId())
                                        .toList()));
                chosen.add(member);
            }
        } else if (request.workers() > 0) {
            if (request.workers() > live.size()) {
                throw new FleetProblem(
                        "--workers " + request.workers() + " asked, but only " + live.size() + " worker(s) are live");
            }
            chosen.sort(Comparator.comparingInt(m -> m.heartbeat().runningAgents()));
            chosen = new ArrayList<>(chosen.subList(0, request.workers()));
        }
        return chosen.stream()
                .map(m -> new WorkerSlot(
                        m.heartbeat().memberId(),
                        Math.max(0, m.heartbeat().capacity() - m.heartbeat().runningAgents())))
                .toList();
    }

    private void requireAggregator(RegistryView registry) {
        long now = control.codec().clock().millis();
        if (registry.live(MemberRole.AGGREGATOR, now).isEmpty()) {
            throw new FleetProblem("no live aggregator on " + control.bootstrap() + " (topic prefix '"
                    + control.topics().prefix() + "'); start one with `kbench aggregator --bootstrap-server "
                    + control.bootstrap() + "`");
        }
    }

    /** The cluster under test, where its address came from, and how to give another one. */
    record Target(String bootstrap, String origin, String override) {}

    private Target targetBootstrap(RunRequest request, DriverConfig driver, String source) {
        if (request.targetBootstrap() != null) {
            String origin = request.targetOrigin() != null ? request.targetOrigin() : "from --target-bootstrap";
            return new Target(
                    request.targetBootstrap(),
                    origin,
                    origin.contains("--target-bootstrap")
                            ? "check the address given to --target-bootstrap"
                            : "pass --target-bootstrap HOST:PORT to test another cluster");
        }
        String fromDriver = driver.commonProperties(source).get("bootstrap.servers");
        if (fromDriver != null) {
            return new Target(
                    fromDriver,
                    "from bootstrap.servers at "
                            + BenchmarkFiles.whereText(request.driver().file(), "bootstrap.servers"),
                    "pass --target-bootstrap HOST:PORT to test another cluster without editing the driver");
        }
        return new Target(
                control.bootstrap(),
                "the control cluster (--bootstrap-server), as " + source + " sets no bootstrap.servers",
                "pass --target-bootstrap HOST:PORT, or set bootstrap.servers in the driver's commonConfig");
    }

    /** The topic's or broker's size limit, checked on the cluster under test before any topic or agent exists. */
    private void requireMessageFits(BenchmarkTopics topics, RunRequest request, Workload workload)
            throws InterruptedException {
        topics.brokers(); // an unreachable cluster is named as such, with where its address came from
        DriverConfig driver = request.driver().driver();
        boolean limitInDriver =
                driver.topicProperties(request.driver().source()).containsKey("max.message.bytes");
        if (limitInDriver && workload.existingTopics().isEmpty()) {
            return; // checked against the driver's topicConfig when the files were loaded
        }
        java.util.OptionalInt read = topics.maxMessageBytes(workload.existingTopics());
        String name = workload.existingTopics().isEmpty() ? "the broker's message.max.bytes" : "max.message.bytes";
        String origin = read.isPresent()
                ? (workload.existingTopics().isEmpty()
                        ? "read from the cluster under test; the driver's topicConfig does not set max.message.bytes"
                        : "of existingTopics " + workload.existingTopics() + " on the cluster under test")
                : "Kafka's default; the cluster under test did not say";
        String note = BenchmarkFiles.requireFitsTopic(
                request.workload(),
                read.orElse(io.kbench.controller.config.MessageLimits.DEFAULT_MAX_MESSAGE_BYTES),
                name,
                origin,
                BenchmarkFiles.compression(request.driver()));
        if (note != null) {
            out.println("note: " + note);
        }
    }

    private List<String> prepareTopics(
            BenchmarkTopics topics, String runId, Workload workload, DriverConfig driver, String source)
            throws InterruptedException {
        if (!workload.existingTopics().isEmpty()) {
            topics.existing(workload.existingTopics());
            return workload.existingTopics();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < workload.topics(); i++) {
            names.add("kbench-" + runId + "-" + i);
        }
        List<String> notes = topics.create(
                names, workload.partitionsPerTopic(), driver.replicationFactor(), driver.topicProperties(source));
        notes.forEach(note -> out.println("note: " + note));
        return names;
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

    static String newRunId(String workloadName) {
        String slug = workloadName
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        if (slug.length() > 24) {
            slug = slug.substring(0, 24).replaceAll("-$", "");
        }
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
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
