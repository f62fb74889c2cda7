package io.kbench.worker.supervise;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.AgentSpawned;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.ConsumerTask;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.worker.control.AgentRuns;
import io.kbench.worker.events.EventSink;
import io.kbench.worker.metrics.WorkerMeters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns this daemon's agent JVMs: starts them, relays control lines to them, stops them on {@code StopRun}, at
 * their deadline and on shutdown, and reports each start and exit. A stop is polite first (stdin closed, after
 * a relayed {@code StopRun} where there is one), then {@code destroy} after the grace period, then {@code
 * destroyForcibly} after another.
 */
public final class AgentSupervisor implements AgentRuns, AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(AgentSupervisor.class);

    /** Agents stop on their own at the deadline; the daemon steps in only if they have not a little later. */
    public static final Duration DEADLINE_SLACK = Duration.ofSeconds(5);

    /** A rehearsal launch's deadline, from when it is written: it never runs; its validation needs a future one. */
    static final Duration REHEARSAL_DEADLINE = Duration.ofMinutes(10);

    private final String workerId;
    private final AgentCommandLine commandLine;
    private final ControlCluster control;
    private final Path logDir;
    private final PidFiles pidFiles;
    private final Duration stopGrace;
    private final EventSink events;
    private final MessageCodec codec;
    private final WorkerMeters meters;
    private final Clock clock;
    private final AgentStartup startup;
    private final List<AgentProcess> processes = new CopyOnWriteArrayList<>();
    private final WarmAgents warm;
    /** Default agent JVMs asked for since this daemon last ran no agent: how many warm ones the next run may use. */
    private final AtomicInteger defaultJvmsSinceIdle = new AtomicInteger();

    private final ScheduledExecutorService timers;
    private volatile boolean closed;
    private volatile String startFailure;

    public AgentSupervisor(
            String workerId,
            AgentCommandLine commandLine,
            ControlCluster control,
            Path logDir,
            PidFiles pidFiles,
            Duration stopGrace,
            EventSink events,
            MessageCodec codec,
            WorkerMeters meters) {
        this(workerId, commandLine, control, logDir, pidFiles, stopGrace, events, codec, meters, AgentStartup.DEFAULT);
    }

    /** @param startup what the daemon adds to every agent JVM: class-data sharing, the agent's metadata wait */
    public AgentSupervisor(
            String workerId,
            AgentCommandLine commandLine,
            ControlCluster control,
            Path logDir,
            PidFiles pidFiles,
            Duration stopGrace,
            EventSink events,
            MessageCodec codec,
            WorkerMeters meters,
            AgentStartup startup) {
        this.workerId = workerId;
        this.startup = startup;
        this.commandLine = commandLine;
        this.control = control;
        this.logDir = logDir;
        this.pidFiles = pidFiles;
        this.stopGrace = stopGrace;
        this.events = events;
        this.codec = codec;
        this.meters = meters;
        this.clock = codec.clock();
        this.warm = new WarmAgents(
                startup.warmAgents(),
                () -> commandLine.command(
                        List.of(), 1, startup.warmOptions(startup.classData().next())),
                this::rehearsalLine,
                pidFiles);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "kbench-agent-timers-" + workerId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * What a warm JVM rehearses while it waits ({@link AgentIo#controlRehearsal}): its clients on this daemon's
     * control cluster, with this daemon's settings for it, and a consumer group of its own under this daemon's group
     * ({@code <p>-worker-<id>-rehearsal-<pid>}), which the daemon's own ACLs cover.
     */
    private String rehearsalLine(long pid) {
        AgentLaunch launch = AgentIo.controlRehearsal(
                workerId,
                control.bootstrapServers(),
                control.clientConfig(),
                control.topicPrefix(),
                ControlCluster.workerGroup(control.topicPrefix(), workerId) + "-rehearsal-" + pid,
                clock.millis() + REHEARSAL_DEADLINE.toMillis());
        return codec.encodeLine(codec.envelope(AgentIo.REHEARSAL, launch, null));
    }

    @Override
    public int runningAgents() {
        int running = 0;
        for (AgentProcess process : processes) {
            running += process.agentIds().size();
        }
        return running;
    }

    /** Why the last agent JVM could not be started, until one starts again: this host cannot run agents. */
    public Optional<String> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    @Override
    public boolean hasRun(String runId) {
        return processes.stream().anyMatch(p -> p.runId().equals(runId));
    }

    /** Warm agent JVMs waiting for the next run ({@link WarmAgents}). */
    public int warmAgents() {
        return warm.held();
    }

    /** Boots {@code count} warm agent JVMs now, for a first run of that many default agent JVMs ({@link WarmAgents#boot}). */
    public void bootWarmAgents(int count) {
        warm.boot(count);
    }

    /** The live agent JVMs of a run (for tests and status). */
    public List<AgentProcess> processesOf(String runId) {
        return processes.stream().filter(p -> p.runId().equals(runId)).toList();
    }

    @Override
    public void spawn(String runId, RunAssignment assignment) {
        if (closed) {
            LOGGER.warn(
                    "shutting down, assignment not started: runId={} assignment={}", runId, assignment.assignmentId());
            return;
        }
        List<AgentProcess> started = new ArrayList<>();
        for (List<AgentTask> group : launchOrder(groups(assignment.tasks(), assignment.agentsPerJvm()))) {
            // A warm JVM was started as a default agent's: one agent, no options from the assignment.
            boolean byDefault = group.size() == 1 && assignment.jvmOptions().isEmpty();
            if (byDefault) {
                defaultJvmsSinceIdle.incrementAndGet();
            }
            Optional<Process> warmJvm = byDefault ? warm.take() : Optional.empty();
            List<String> agentIds = group.stream().map(AgentTask::agentId).toList();
            AgentLaunch launch = new AgentLaunch(
                    runId,
                    workerId,
                    group,
                    control.bootstrapServers(),
                    control.clientConfig(),
                    control.topicPrefix(),
                    assignment.deadlineAt(),
                    control.hostClock().current(),
                    control.hostClock().skewMicros());
            String launchLine = codec.encodeLine(codec.envelope(runId, launch, null));
            Path outFile = logDir.resolve(runId).resolve(fileName(agentIds) + ".out");
            Process jvm = null;
            try {
                jvm = warmJvm.isPresent()
                        ? warmJvm.get()
                        : AgentProcess.spawn(commandLine.command(
                                assignment.jvmOptions(),
                                group.size(),
                                startup.daemonOptions(startup.classData().next())));
                AgentProcess process = AgentProcess.attach(
                        jvm,
                        runId,
                        workerId,
                        agentIds,
                        assignment.deadlineAt(),
                        launchLine,
                        outFile,
                        events,
                        codec,
                        this::exited);
                processes.add(process);
                pidFiles.write(process.pid(), runId + " " + String.join(",", agentIds));
                meters.agentsSpawned(agentIds.size());
                events.publish(runId, new AgentSpawned(workerId, agentIds, process.pid()));
                LOGGER.info(
                        "agent started: runId={} agents={} pid={} jvmOptions={} warm={}",
                        runId,
                        agentIds,
                        process.pid(),
                        assignment.jvmOptions(),
                        warmJvm.isPresent());
                started.add(process);
                startFailure = null;
            } catch (IOException | RuntimeException e) {
                if (jvm != null) {
                    jvm.destroyForcibly();
                    pidFiles.delete(jvm.pid());
                }
                startFailure = "cannot start agent JVMs: " + e.getMessage();
                LOGGER.error("cannot start agent: runId={} agents={} error={}", runId, agentIds, e.toString());
                meters.agentsFailed(agentIds.size());
                events.publish(
                        runId,
                        new AgentFailed(
                                workerId, agentIds, -1, "cannot start agent JVM: " + e.getMessage(), List.of()));
            }
        }
        long delay = assignment.deadlineAt() + DEADLINE_SLACK.toMillis() - clock.millis();
        timers.schedule(() -> stopAll(started, null, "the deadline"), Math.max(delay, 0), TimeUnit.MILLISECONDS);
    }

    @Override
    public void relay(String runId, String line) {
        for (AgentProcess process : processesOf(runId)) {
            process.send(line);
        }
    }

    @Override
    public void stop(String runId, String stopLine) {
        stopAll(processesOf(runId), stopLine, "StopRun");
    }

    /**
     * Stops every agent and waits, bounded by about three grace periods, for each exit to be reported. Starts
     * nothing afterwards.
     */
    @Override
    public void close() {
        closed = true;
        startup.classData().close();
        warm.close();
        List<AgentProcess> all = List.copyOf(processes);
        for (AgentProcess process : all) {
            process.requestStop(null, "daemon shutdown");
        }
        try {
            awaitAll(all, stopGrace);
            all.forEach(AgentProcess::destroy);
            awaitAll(all, stopGrace);
            all.forEach(AgentProcess::destroyForcibly);
            awaitAll(all, Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            all.forEach(AgentProcess::destroyForcibly);
        } finally {
            timers.shutdownNow();
        }
        long left = all.stream().filter(AgentProcess::isAlive).count();
        if (left > 0) {
            LOGGER.error("{} agent JVMs still alive after SIGKILL; pid files are kept under {}", left, pidFiles.dir());
        }
    }

    private void stopAll(List<AgentProcess> targets, String stopLine, String cause) {
        List<AgentProcess> alive =
                targets.stream().filter(AgentProcess::isAlive).toList();
        if (alive.isEmpty()) {
            return;
        }
        LOGGER.info("stopping {} agent JVMs on {}", alive.size(), cause);
        for (AgentProcess process : alive) {
            process.requestStop(stopLine, cause);
        }
        if (closed) {
            return; // close() escalates on its own
        }
        timers.schedule(() -> alive.forEach(AgentProcess::destroy), stopGrace.toMillis(), TimeUnit.MILLISECONDS);
        timers.schedule(
                () -> alive.forEach(AgentProcess::destroyForcibly), 2 * stopGrace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void exited(AgentProcess process) {
        processes.remove(process);
        pidFiles.delete(process.pid());
        if (process.exitCode() != AgentIo.EXIT_OK) {
            meters.agentsFailed(process.agentIds().size());
        }
        // Idle now: boot the next run's JVMs while nothing of this daemon's is measured.
        if (processes.isEmpty() && !closed) {
            warm.refill(defaultJvmsSinceIdle.getAndSet(0));
        }
    }

    private static void awaitAll(List<AgentProcess> all, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (AgentProcess process : all) {
            long left = Math.max(0, deadline - System.nanoTime());
            process.awaitReported(Duration.ofNanos(left));
        }
    }

    static List<List<AgentTask>> groups(List<AgentTask> tasks, int perJvm) {
        List<List<AgentTask>> groups = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i += perJvm) {
            groups.add(List.copyOf(tasks.subList(i, Math.min(tasks.size(), i + perJvm))));
        }
        return groups;
    }

    /**
     * The JVMs with a consumer first, otherwise in the assignment's order: a consumer has the longest way to ready
     * (metadata, then its group's join), and the launch lines go out one after another while the JVMs that have
     * theirs already compete for the cores.
     */
    static List<List<AgentTask>> launchOrder(List<List<AgentTask>> groups) {
        List<List<AgentTask>> ordered = new ArrayList<>(groups);
        ordered.sort(Comparator.comparing(group -> group.stream().noneMatch(ConsumerTask.class::isInstance)));
        return ordered;
    }

    /** Agents' ids joined for a file name; long groups are named by their first and last agent. */
    static String fileName(List<String> agentIds) {
        if (agentIds.size() <= 4) {
            return String.join("+", agentIds);
        }
        return agentIds.get(0) + "+" + (agentIds.size() - 2) + "-more+" + agentIds.get(agentIds.size() - 1);
    }
}
