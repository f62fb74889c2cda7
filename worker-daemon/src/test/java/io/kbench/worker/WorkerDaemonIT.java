package io.kbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentFinished;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.AgentSpawned;
import io.kbench.protocol.message.AssignmentRejected;
import io.kbench.protocol.message.ClockOffset;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.message.RateChange;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.registry.RegistryView;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.worker.clock.ClockProbe;
import io.kbench.worker.testing.ControlPublisher;
import io.kbench.worker.testing.Poll;
import io.kbench.worker.testing.Tasks;
import io.kbench.worker.testing.TopicTail;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The daemon against a real broker, starting the real agent (io.kbench.agent.AgentMain) as JVMs. */
@ExtendWith(KafkaClusterExtension.class)
class WorkerDaemonIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String BENCH_TOPIC = "bench";
    private static final ControlSigner SIGNER =
            new ControlSigner("it-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    private static String bootstrap;

    @TempDir
    Path logDir;

    @BeforeAll
    static void createBenchTopic(KafkaCluster kafka) throws Exception {
        bootstrap = kafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(BENCH_TOPIC, 1, (short) 1)))
                    .all()
                    .get();
        }
    }

    private WorkerConfig.Builder config(String prefix, String workerId) {
        return WorkerConfig.builder(bootstrap)
                .topicPrefix(prefix)
                .workerId(workerId)
                .logDir(logDir.resolve(workerId))
                .stopGrace(Duration.ofSeconds(3));
    }

    private static long deadlineIn(Duration duration) {
        return System.currentTimeMillis() + duration.toMillis();
    }

    @Test
    @SuppressWarnings("try") // the first daemon is closed inside the block: that close is what is tested
    void twoDaemonsRegisterAndACleanStopRemovesOne() throws Exception {
        KbenchTopics topics = new KbenchTopics("reg");
        try (WorkerDaemon first =
                        new WorkerDaemon(config("reg", "w-a").maxAgents(7).build());
                WorkerDaemon second = new WorkerDaemon(config("reg", "w-b").build());
                KafkaConsumer<String, byte[]> reader = KafkaClients.readerConsumer(bootstrap, Map.of())) {
            first.start();
            second.start();

            RegistryView both = Poll.until(
                    () -> RegistryView.read(reader, topics.registry(), new MessageCodec(), Duration.ofSeconds(5)),
                    view -> liveWorkers(view).equals(Set.of("w-a", "w-b")),
                    WAIT);
            MemberHeartbeat a = both.all().stream()
                    .map(RegistryView.Member::heartbeat)
                    .filter(h -> h.memberId().equals("w-a"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(7, a.capacity());
            assertEquals(Runtime.getRuntime().availableProcessors(), a.cores());
            assertTrue(a.memoryBytes() > 0);
            assertEquals(2000, a.heartbeatIntervalMs());

            first.close();

            RegistryView after = Poll.until(
                    () -> RegistryView.read(reader, topics.registry(), new MessageCodec(), Duration.ofSeconds(5)),
                    view -> !view.ids().contains("w-a"),
                    WAIT);
            assertEquals(Set.of("w-b"), liveWorkers(after), "the tombstone removed w-a only");
        }
    }

    @Test
    void threeAgentsGetReadyAndNoneRemainsAfterStopRun() throws Exception {
        KbenchTopics topics = new KbenchTopics("run");
        try (WorkerDaemon daemon = new WorkerDaemon(config("run", "w-run").build())) {
            daemon.start();
            try (ControlPublisher control = new ControlPublisher(bootstrap, topics.control());
                    TopicTail events = new TopicTail(bootstrap, topics.events())) {
                RunAssignment assignment =
                        Tasks.producers("w-run", "p", 3, bootstrap, BENCH_TOPIC, 5, deadlineIn(Duration.ofSeconds(15)));
                control.send("run-3", assignment);
                control.send("run-3", assignment); // a repeat runs once

                List<AgentSpawned> spawned = events.await(AgentSpawned.class, s -> true, 3, WAIT);
                Set<Long> pids = spawned.stream().map(AgentSpawned::pid).collect(Collectors.toSet());
                Set<Long> children = ProcessHandle.current()
                        .descendants()
                        .map(ProcessHandle::pid)
                        .collect(Collectors.toSet());
                assertTrue(children.containsAll(pids), "agents are processes of this JVM: " + pids);
                List<AgentReady> ready = events.await(AgentReady.class, r -> true, 3, WAIT);
                assertEquals(
                        Set.of("p0", "p1", "p2"),
                        ready.stream().map(AgentReady::agentId).collect(Collectors.toSet()));

                long now = System.currentTimeMillis();
                control.send("run-3", new StartRun(now + 500, 0, 5_000, now + 10_000));
                control.send("run-3", new RateChange(30));
                control.send("run-3", new StopRun(StopRun.Reason.OPERATOR, "test over"));

                Poll.until(() -> pids.stream().noneMatch(WorkerDaemonIT::alive), WAIT);
                events.await(AgentFinished.class, f -> true, 3, WAIT);
                assertEquals(0, daemon.runningAgents());
                assertEquals(3, events.of(AgentSpawned.class, s -> true).size(), "the repeated assignment ran once");
                assertEquals(3.0, daemon.meters().orElseThrow().spawnedCount());
            }
        }
    }

    @Test
    void badRecordsAreSkippedOrRejectedAndTheNextGoodAssignmentRuns() throws Exception {
        KbenchTopics topics = new KbenchTopics("bad");
        try (WorkerDaemon daemon = new WorkerDaemon(
                        config("bad", "w-bad").secret(SIGNER).maxAgents(2).build());
                ControlPublisher control = new ControlPublisher(bootstrap, topics.control())) {
            daemon.start();
            try (TopicTail events = new TopicTail(bootstrap, topics.events())) {
                long deadline = deadlineIn(Duration.ofSeconds(20));
                control.raw("run-x", new byte[] {0, (byte) 0xff, '{', 'x'});
                control.raw(
                        "run-x",
                        ("{\"v\":1,\"type\":\"Teleport\",\"id\":\"t1\",\"runId\":\"run-x\",\"sentAt\":1,\"body\":{}}")
                                .getBytes(StandardCharsets.UTF_8));
                RunAssignment unsigned = Tasks.producers("w-bad", "u", 1, bootstrap, BENCH_TOPIC, 5, deadline);
                control.send("run-u", unsigned);
                RunAssignment tooBig = Tasks.producers("w-bad", "big", 3, bootstrap, BENCH_TOPIC, 5, deadline);
                control.sendSigned(SIGNER, "run-big", tooBig);
                RunAssignment good = Tasks.producers("w-bad", "g", 1, bootstrap, BENCH_TOPIC, 5, deadline);
                control.sendSigned(SIGNER, "run-good", good);

                events.await(AgentReady.class, r -> r.agentId().equals("g0"), 1, WAIT);
                List<AssignmentRejected> rejected = events.of(AssignmentRejected.class, r -> true);
                assertEquals(
                        Map.of(
                                unsigned.assignmentId(), AssignmentRejected.Reason.BAD_SIGNATURE,
                                tooBig.assignmentId(), AssignmentRejected.Reason.OVER_CAPACITY),
                        rejected.stream()
                                .collect(Collectors.toMap(
                                        AssignmentRejected::assignmentId, AssignmentRejected::reason)));
                var meters = daemon.meters().orElseThrow();
                assertEquals(1.0, meters.skippedCount(SkipReason.CORRUPT));
                assertEquals(1.0, meters.skippedCount(SkipReason.UNKNOWN_TYPE));
                assertEquals(1.0, meters.skippedCount(SkipReason.UNSIGNED));
                String scrape = daemon.meterRegistry().scrape();
                assertTrue(
                        scrape.contains(
                                "kbench_worker_assignments_rejected_total{reason=\"over_capacity\",worker=\"w-bad\"} 1"),
                        scrape);
                assertEquals(1, daemon.runningAgents());
                assertFalse(events.of(AgentSpawned.class, s -> true).stream()
                        .anyMatch(s -> !s.agentIds().equals(List.of("g0"))));
            }
        }
    }

    @Test
    void agentThatCannotReachItsTargetYieldsAgentFailedWithExitCodeAndStderrTail() throws Exception {
        KbenchTopics topics = new KbenchTopics("fail");
        try (WorkerDaemon daemon = new WorkerDaemon(config("fail", "w-fail")
                        .allowedTargets(List.of("127.0.0.1:1"))
                        .build());
                ControlPublisher control = new ControlPublisher(bootstrap, topics.control())) {
            daemon.start();
            try (TopicTail events = new TopicTail(bootstrap, topics.events())) {
                RunAssignment assignment = Tasks.producers(
                        "w-fail", "x", 1, "127.0.0.1:1", BENCH_TOPIC, 5, deadlineIn(Duration.ofSeconds(15)));
                control.send("run-f", assignment);

                events.await(AgentSpawned.class, s -> true, 1, WAIT);
                Poll.until(() -> daemon.runningAgents() == 0, WAIT);

                // The daemon's report (after the exit) carries the exit code and the last 20 lines of the .err
                // file; the agent may also have sent its own AgentFailed earlier.
                List<String> errLines = Files.readAllLines(logDir.resolve("w-fail/run-f/x0.err"));
                assertFalse(errLines.isEmpty(), "the failing agent explains itself on stderr");
                List<String> tail = errLines.subList(Math.max(0, errLines.size() - 20), errLines.size());
                AgentFailed failed = events.await(
                                AgentFailed.class, f -> f.stderrTail().equals(tail), 1, WAIT)
                        .get(0);
                assertEquals(List.of("x0"), failed.agentIds());
                assertTrue(failed.exitCode() > 0, "exit code " + failed.exitCode());
                assertFalse(failed.reason().isBlank());
                assertEquals(1.0, daemon.meters().orElseThrow().failedCount());
            }
        }
    }

    @Test
    void aDaemonWhoseClockIsFiftyMillisecondsAheadEstimatesItWithinItsStatedUncertainty() throws Exception {
        KbenchTopics topics = new KbenchTopics("clk");
        try (WorkerDaemon skewed = new WorkerDaemon(config("clk", "w-skewed")
                        .clockSkew(Duration.ofMillis(50))
                        .build());
                KafkaConsumer<String, byte[]> reader = KafkaClients.readerConsumer(bootstrap, Map.of())) {
            skewed.start();
            // The broker and the daemon share this machine's clock: the daemon's is 50 ms ahead, so adding
            // -50 ms to it reads the broker's.
            MemberHeartbeat beat = Poll.until(
                    () ->
                            RegistryView.read(reader, topics.registry(), new MessageCodec(), Duration.ofSeconds(5))
                                    .all()
                                    .stream()
                                    .map(RegistryView.Member::heartbeat)
                                    .filter(h -> h.memberId().equals("w-skewed") && h.clock() != null)
                                    .findFirst()
                                    .orElse(null),
                    java.util.Objects::nonNull,
                    WAIT);
            ClockOffset clock = beat.clock();
            assertTrue(
                    Math.abs(clock.offsetMicros() + 50_000) <= clock.uncertaintyMicros(),
                    "-50 ms within the stated uncertainty: " + clock.describe());
            assertTrue(clock.uncertaintyMicros() < 5_000, "probes on one host bound it tightly: " + clock.describe());
        }
    }

    @Test
    void aClockTopicThatKeepsTheProducersTimestampsGivesNoEstimateRatherThanAWrongOne() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("ct.clock", 1, (short) 1)))
                    .all()
                    .get();
        }
        try (ClockProbe probe = new ClockProbe(bootstrap, Map.of(), "ct.clock", "w-ct", Duration.ZERO)) {
            assertTrue(probe.estimate().isEmpty(), "a CreateTime topic says nothing of the broker's clock");
        }
    }

    private static Set<String> liveWorkers(RegistryView view) {
        return view.live(MemberRole.WORKER, System.currentTimeMillis()).stream()
                .map(m -> m.heartbeat().memberId())
                .collect(Collectors.toSet());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
