package io.kbench.worker.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentFinished;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.AgentSpawned;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.worker.metrics.WorkerMeters;
import io.kbench.worker.testing.FakeAgentMain;
import io.kbench.worker.testing.Poll;
import io.kbench.worker.testing.RecordingEventSink;
import io.kbench.worker.testing.Tasks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervision with real JVMs running a stand-in agent ({@link FakeAgentMain}); no broker. */
class AgentSupervisorIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path logDir;

    private final MessageCodec codec = new MessageCodec();
    private final RecordingEventSink events = new RecordingEventSink();
    private final WorkerMeters meters = new WorkerMeters(new SimpleMeterRegistry(), "w1", () -> 0, () -> 0);
    private AgentSupervisor supervisor;

    private AgentSupervisor supervisor(Duration grace) {
        return supervisor(grace, 0);
    }

    private AgentSupervisor supervisor(Duration grace, int warmAgents) {
        supervisor = new AgentSupervisor(
                "w1",
                AgentCommandLine.forThisJvm(FakeAgentMain.class.getName()),
                new ControlCluster("ctl:9092", null, "kbench"),
                logDir,
                new PidFiles(logDir.resolve("pids").resolve("w1"), FakeAgentMain.class.getName()),
                grace,
                events,
                codec,
                meters,
                new AgentStartup(
                        AgentClassData.none(), Duration.ofMillis(AgentIo.DEFAULT_METADATA_TIMEOUT_MS), warmAgents));
        return supervisor;
    }

    @AfterEach
    void closeSupervisor() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    private long inAMinute() {
        return System.currentTimeMillis() + 60_000;
    }

    @Test
    void startsOneJvmPerGroupRelaysCommandsAndStopsOnStopRun() throws Exception {
        AgentSupervisor agents = supervisor(Duration.ofSeconds(5));
        RunAssignment base = Tasks.producers("w1", "p", 3, "ctl:9092", "t", 10, inAMinute());
        RunAssignment assignment =
                new RunAssignment(base.assignmentId(), "w1", base.tasks(), 2, List.of("-Xmx64m"), base.deadlineAt());

        agents.spawn("run-1", assignment);

        assertEquals(2, agents.processesOf("run-1").size(), "3 tasks, 2 per JVM: 2 JVMs");
        assertEquals(3, agents.runningAgents());
        List<AgentSpawned> spawned = events.of(AgentSpawned.class);
        assertEquals(
                List.of(List.of("p0", "p1"), List.of("p2")),
                spawned.stream().map(AgentSpawned::agentIds).toList());
        spawned.forEach(s -> assertTrue(Files.exists(logDir.resolve("pids/w1/" + s.pid() + ".pid"))));
        events.await(AgentReady.class, r -> true, 3, WAIT);

        String start = codec.encodeLine(codec.envelope("run-1", new StartRun(1, 2, 3, 4), null));
        agents.relay("run-1", start);
        Path out = logDir.resolve("run-1").resolve("p0+p1.out");
        Poll.until(() -> read(out).contains("got StartRun"), WAIT);

        String stop = codec.encodeLine(codec.envelope("run-1", new StopRun(StopRun.Reason.COMPLETED, "done"), null));
        agents.stop("run-1", stop);

        List<AgentFinished> finished = events.await(AgentFinished.class, f -> true, 2, WAIT);
        assertTrue(finished.stream().allMatch(f -> f.exitCode() == 0), finished.toString());
        Poll.until(() -> agents.runningAgents() == 0, WAIT);
        assertFalse(agents.hasRun("run-1"));
        spawned.forEach(
                s -> assertTrue(ProcessHandle.of(s.pid()).map(h -> !h.isAlive()).orElse(true)));
        Poll.until(() -> listPidFiles().isEmpty(), WAIT);
        assertTrue(read(out).contains("@kbench-event "), "stdout, event lines included, goes to the .out file");
        assertEquals(3.0, meters.spawnedCount());
        assertEquals(0.0, meters.failedCount());
    }

    @Test
    void failedAgentReportsExitCodeReasonAndLastTwentyStderrLines() {
        AgentSupervisor agents = supervisor(Duration.ofSeconds(5));
        agents.spawn("run-2", Tasks.producers("w1", "fail", 1, "ctl:9092", "t", 10, inAMinute()));

        AgentFailed failed =
                events.await(AgentFailed.class, f -> f.exitCode() == 3, 1, WAIT).get(0);
        assertEquals("fake cannot reach the cluster", failed.reason());
        assertEquals(20, failed.stderrTail().size());
        assertEquals("fake failure line 6", failed.stderrTail().get(0));
        assertEquals("fake failure line 25", failed.stderrTail().get(19));
        assertEquals(List.of("fail0"), failed.agentIds());
        // The agent's own event is forwarded too, before the exit report.
        assertEquals(2, events.of(AgentFailed.class).size());
        Poll.until(() -> meters.failedCount() == 1.0, WAIT);
        assertTrue(read(logDir.resolve("run-2").resolve("fail0.err")).contains("fake failure line 1\n"));
    }

    @Test
    void agentIgnoringStopIsDestroyedAfterTheGracePeriod() {
        AgentSupervisor agents = supervisor(Duration.ofMillis(500));
        agents.spawn("run-3", Tasks.producers("w1", "stubborn", 1, "ctl:9092", "t", 10, inAMinute()));
        events.await(AgentReady.class, r -> true, 1, WAIT);

        agents.stop("run-3", null);

        AgentFailed failed = events.await(AgentFailed.class, f -> true, 1, WAIT).get(0);
        assertEquals(143, failed.exitCode(), "SIGTERM after the grace period");
        assertEquals("killed after StopRun (exit code 143)", failed.reason());
        Poll.until(() -> agents.runningAgents() == 0, WAIT);
    }

    @Test
    void agentsAreStoppedAtTheirDeadline() {
        AgentSupervisor agents = supervisor(Duration.ofSeconds(5));
        long passed = System.currentTimeMillis() - AgentSupervisor.DEADLINE_SLACK.toMillis() - 1;
        agents.spawn("run-4", Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, passed));

        events.await(AgentFinished.class, f -> true, 1, WAIT);
        assertEquals(0, agents.runningAgents());
    }

    @Test
    void closeStopsEveryAgentWithinABoundedTime() {
        AgentSupervisor agents = supervisor(Duration.ofMillis(500));
        agents.spawn("run-5", Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, inAMinute()));
        agents.spawn("run-6", Tasks.producers("w1", "stubborn", 1, "ctl:9092", "t", 10, inAMinute()));
        events.await(AgentReady.class, r -> true, 2, WAIT);
        List<Long> pids =
                events.of(AgentSpawned.class).stream().map(AgentSpawned::pid).toList();

        long startedAt = System.nanoTime();
        agents.close();

        assertTrue(Duration.ofNanos(System.nanoTime() - startedAt).compareTo(Duration.ofSeconds(10)) < 0);
        pids.forEach(pid ->
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        assertEquals(1, events.of(AgentFinished.class).size());
        assertEquals(1, events.of(AgentFailed.class).size());
    }

    @Test
    void theNextRunsAgentsStartOnJvmsBootedWhileTheDaemonWasIdle() throws Exception {
        AgentSupervisor agents = supervisor(Duration.ofSeconds(5), 3);
        assertEquals(0, agents.warmAgents(), "none before a first run: its size is not known");
        runToTheEnd(agents, "run-a", Tasks.producers("w1", "p", 2, "ctl:9092", "t", 10, inAMinute()));

        Poll.until(() -> agents.warmAgents() == 2, WAIT);
        Map<Long, String> warm = pidFileDescriptions();
        assertEquals(2, warm.size(), warm.toString());
        assertTrue(warm.values().stream().allMatch(WarmAgents.PID_DESCRIPTION::equals), warm.toString());
        warm.keySet()
                .forEach(pid -> assertTrue(
                        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));

        events.clear();
        agents.spawn("run-b", Tasks.producers("w1", "p", 2, "ctl:9092", "t", 10, inAMinute()));
        assertEquals(
                warm.keySet(),
                events.of(AgentSpawned.class).stream().map(AgentSpawned::pid).collect(Collectors.toSet()),
                "run-b's agents are the warm JVMs");
        assertEquals(0, agents.warmAgents());
        events.await(AgentReady.class, r -> true, 2, WAIT);
        assertEquals(
                Set.of("p0", "p1"),
                events.of(AgentReady.class).stream().map(AgentReady::agentId).collect(Collectors.toSet()),
                "ready: the run's agents, not their rehearsals");
        assertEquals(
                Set.of("run-b p0", "run-b p1"), Set.copyOf(pidFileDescriptions().values()), "pid files name the run");
        for (AgentSpawned spawned : events.of(AgentSpawned.class)) {
            String err = read(logDir.resolve("run-b").resolve(spawned.agentIds().get(0) + ".err"));
            assertTrue(
                    err.contains(
                            "fake rehearsal on ctl:9092 in group [kbench-worker-w1-rehearsal-" + spawned.pid() + "]"),
                    "each warm JVM was handed a rehearsal on the control cluster, a group of its own under the"
                            + " daemon's: " + err);
        }
        assertTrue(read(logDir.resolve("run-b").resolve("p0.out")).contains("@kbench-event "));
        agents.stop("run-b", null);
        events.await(AgentFinished.class, f -> true, 2, WAIT);

        // A JVM asked with options of the assignment's is started for it: warm ones have the defaults.
        Poll.until(() -> agents.warmAgents() == 2, WAIT);
        events.clear();
        RunAssignment base = Tasks.producers("w1", "q", 1, "ctl:9092", "t", 10, inAMinute());
        agents.spawn(
                "run-c",
                new RunAssignment(base.assignmentId(), "w1", base.tasks(), 1, List.of("-Xmx64m"), base.deadlineAt()));
        long own = events.of(AgentSpawned.class).get(0).pid();
        assertFalse(warm.containsKey(own));
        assertEquals(2, agents.warmAgents(), "the warm JVMs still wait");
        Set<Long> stillWarm = pidFileDescriptions().entrySet().stream()
                .filter(e -> e.getValue().equals(WarmAgents.PID_DESCRIPTION))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertEquals(2, stillWarm.size());

        agents.close();
        stillWarm.forEach(pid ->
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        assertEquals(Map.of(), pidFileDescriptions(), "no pid file left");
    }

    @Test
    void aFirstRunOfKnownSizeStartsOnJvmsBootedBeforeItWasPlanned() throws Exception {
        // kbench local knows its first run's size before the fleet starts: no --warm-agents needed for it.
        AgentSupervisor agents = supervisor(Duration.ofSeconds(5), 0);
        agents.bootWarmAgents(2);
        Poll.until(() -> agents.warmAgents() == 2, WAIT);
        Set<Long> booted = Set.copyOf(pidFileDescriptions().keySet());

        agents.spawn("run-f", Tasks.producers("w1", "p", 2, "ctl:9092", "t", 10, inAMinute()));
        assertEquals(
                booted,
                events.of(AgentSpawned.class).stream().map(AgentSpawned::pid).collect(Collectors.toSet()),
                "the first run's agents are the JVMs booted for it");
        events.await(AgentReady.class, r -> true, 2, WAIT);
        agents.stop("run-f", null);
        events.await(AgentFinished.class, f -> true, 2, WAIT);
        assertEquals(0, agents.warmAgents(), "--warm-agents 0: none booted after the run");
        agents.close();
    }

    @Test
    void warmJvmsAreCappedAndOneThatDiedIsNotUsed() throws Exception {
        AgentSupervisor agents = supervisor(Duration.ofSeconds(5), 1);
        runToTheEnd(agents, "run-d", Tasks.producers("w1", "p", 3, "ctl:9092", "t", 10, inAMinute()));
        Poll.until(() -> agents.warmAgents() == 1, WAIT);
        long dead = pidFileDescriptions().keySet().iterator().next();
        ProcessHandle.of(dead).orElseThrow().destroyForcibly();
        Poll.until(() -> ProcessHandle.of(dead).map(h -> !h.isAlive()).orElse(true), WAIT);

        events.clear();
        agents.spawn("run-e", Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, inAMinute()));
        long started = events.of(AgentSpawned.class).get(0).pid();
        assertTrue(started != dead, "a JVM of its own, not the dead warm one");
        events.await(AgentReady.class, r -> true, 1, WAIT);
        assertEquals(List.of(), events.of(AgentFailed.class));
    }

    /** Spawns, waits until every agent is ready, stops and waits until every JVM exited. */
    private void runToTheEnd(AgentSupervisor agents, String runId, RunAssignment assignment) {
        agents.spawn(runId, assignment);
        int jvms = agents.processesOf(runId).size();
        events.await(AgentReady.class, r -> true, assignment.tasks().size(), WAIT);
        agents.stop(runId, null);
        events.await(AgentFinished.class, f -> true, jvms, WAIT);
        Poll.until(() -> agents.runningAgents() == 0, WAIT);
    }

    /** Pid file → what it says (a run and its agents, or a warm JVM). */
    private Map<Long, String> pidFileDescriptions() {
        Map<Long, String> descriptions = new java.util.TreeMap<>();
        for (Path file : listPidFiles()) {
            String name = file.getFileName().toString();
            descriptions.put(
                    Long.parseLong(name.substring(0, name.indexOf('.'))),
                    read(file).strip());
        }
        return descriptions;
    }

    private List<Path> listPidFiles() {
        try (Stream<Path> files = Files.list(logDir.resolve("pids/w1"))) {
            return files.toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
