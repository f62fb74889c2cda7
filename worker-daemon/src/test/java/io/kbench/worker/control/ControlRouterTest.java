package io.kbench.worker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbench.protocol.Envelope;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.AssignmentRejected;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RateChange;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.security.SignatureVerifier;
import io.kbench.worker.metrics.WorkerMeters;
import io.kbench.worker.testing.RecordingEventSink;
import io.kbench.worker.testing.Tasks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControlRouterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(5_000_000), ZoneOffset.UTC);
    private static final long DEADLINE = 5_060_000;
    private static final Duration TTL = Duration.ofMinutes(1);
    private static final ControlSigner SIGNER =
            new ControlSigner("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8));

    private final MessageCodec codec = new MessageCodec(CLOCK);
    private final RecordingRuns runs = new RecordingRuns();
    private final RecordingEventSink events = new RecordingEventSink();
    private final WorkerMeters meters = new WorkerMeters(new SimpleMeterRegistry(), "w1", () -> 0, () -> 0);

    private ControlRouter router(boolean signed) {
        return new ControlRouter(
                "w1",
                codec,
                signed ? Optional.of(new SignatureVerifier(SIGNER, CLOCK)) : Optional.empty(),
                new AssignmentValidator(
                        List.of(io.kbench.worker.control.GlobPattern.server("ctl:9092")),
                        List.of(GlobPattern.option("-Xmx*")),
                        4,
                        CLOCK),
                runs,
                events,
                meters);
    }

    private byte[] record(String runId, Message message) {
        return codec.encode(runId, message, TTL);
    }

    private byte[] signed(String runId, Message message) {
        return codec.encode(SIGNER.sign(codec.envelope(runId, message, TTL)));
    }

    private static RunAssignment assignment(String workerId, int agents) {
        return Tasks.producers(workerId, "p", agents, "ctl:9092", "t", 10, DEADLINE);
    }

    @Test
    void startsAnAssignmentForItselfOnce() {
        ControlRouter router = router(false);
        byte[] value = record("run-1", assignment("w1", 2));
        router.onRecord(value);
        router.onRecord(value);
        assertEquals(List.of("run-1"), runs.spawned);
        assertTrue(events.events().isEmpty(), "a repeat is not an error: " + events.events());
    }

    @Test
    void ignoresOtherWorkersAndOtherRuns() {
        ControlRouter router = router(false);
        router.onRecord(record("run-1", assignment("w2", 1)));
        router.onRecord(record("run-9", new StartRun(1, 2, 3, 4)));
        assertTrue(runs.spawned.isEmpty());
        assertTrue(runs.lines.isEmpty());
        assertTrue(events.events().isEmpty());
    }

    @Test
    void skipsUnreadableRecordsWithTheirReasonAndKeepsServing() {
        ControlRouter router = router(false);
        router.onRecord("\u0000garbage{".getBytes(StandardCharsets.UTF_8));
        router.onRecord(null);
        Envelope rate = codec.envelope("run-1", new RateChange(1), null);
        router.onRecord(codec.encode(
                new Envelope(1, "Teleport", rate.id(), rate.runId(), rate.sentAt(), null, rate.body(), null)));
        router.onRecord(codec.encode(
                new Envelope(99, rate.type(), rate.id(), rate.runId(), rate.sentAt(), null, rate.body(), null)));
        Envelope old = codec.envelope("run-1", assignment("w1", 1), TTL);
        router.onRecord(codec.encode(new Envelope(1, old.type(), old.id(), old.runId(), 0, 1L, old.body(), null)));

        assertEquals(2.0, meters.skippedCount(SkipReason.CORRUPT));
        assertEquals(1.0, meters.skippedCount(SkipReason.UNKNOWN_TYPE));
        assertEquals(1.0, meters.skippedCount(SkipReason.NEWER_VERSION));
        assertEquals(1.0, meters.skippedCount(SkipReason.EXPIRED));

        router.onRecord(record("run-2", assignment("w1", 1)));
        assertEquals(List.of("run-2"), runs.spawned);
    }

    @Test
    void anAssignmentWithATaskOfTheOldSingleShapeIsCountedCorruptAndNotFatal() {
        ControlRouter router = router(false);
        Envelope current = codec.envelope("run-1", assignment("w1", 1), TTL);
        ObjectNode body = current.body().deepCopy();
        ObjectNode task = (ObjectNode) body.withArray("tasks").get(0);
        // Before tasks had a record per role, a producer named its topic in "topics".
        task.set("topics", task.arrayNode().add(task.remove("topic")));
        task.putNull("subscription");
        router.onRecord(codec.encode(new Envelope(
                1, current.type(), current.id(), current.runId(), current.sentAt(), current.expiresAt(), body, null)));

        assertEquals(1.0, meters.skippedCount(SkipReason.CORRUPT));
        assertTrue(runs.spawned.isEmpty());
        assertTrue(events.events().isEmpty(), "a record that does not decode is not answered: " + events.events());

        router.onRecord(record("run-2", assignment("w1", 1)));
        assertEquals(List.of("run-2"), runs.spawned);
    }

    @Test
    void rejectsOverCapacityWithReasonOnEventsTopic() {
        ControlRouter router = router(false);
        runs.running = 3;
        RunAssignment big = assignment("w1", 2);
        router.onRecord(record("run-1", big));
        AssignmentRejected rejected = events.of(AssignmentRejected.class).get(0);
        assertEquals(
                new AssignmentRejected(
                        "w1",
                        big.assignmentId(),
                        AssignmentRejected.Reason.OVER_CAPACITY,
                        "2 agents asked, 3 running, capacity 4 (--max-agents)"),
                rejected);
        assertEquals("run-1", events.events().get(0).runId());
        assertEquals(1.0, meters.rejectedCount(AssignmentRejected.Reason.OVER_CAPACITY));
        assertTrue(runs.spawned.isEmpty());
    }

    @Test
    void rejectsUnsignedAndTamperedAssignmentsWhenASecretIsSet() {
        ControlRouter router = router(true);
        router.onRecord(record("run-1", assignment("w1", 1)));
        Envelope good = SIGNER.sign(codec.envelope("run-1", assignment("w1", 1), TTL));
        Envelope tampered = new Envelope(
                good.v(), good.type(), good.id(), "run-X", good.sentAt(), good.expiresAt(), good.body(), good.sig());
        router.onRecord(codec.encode(tampered));

        List<AssignmentRejected> rejected = events.of(AssignmentRejected.class);
        assertEquals(2, rejected.size());
        assertTrue(rejected.stream().allMatch(r -> r.reason() == AssignmentRejected.Reason.BAD_SIGNATURE));
        assertEquals(1.0, meters.skippedCount(SkipReason.UNSIGNED));
        assertEquals(1.0, meters.skippedCount(SkipReason.BAD_SIGNATURE));
        assertTrue(runs.spawned.isEmpty());

        router.onRecord(codec.encode(good));
        assertEquals(List.of("run-1"), runs.spawned);
    }

    @Test
    void aVerbatimCopyOfAStartedSignedAssignmentIsCountedAsReplayedAndNotAnswered() {
        ControlRouter router = router(true);
        byte[] genuine = signed("run-1", assignment("w1", 1));
        router.onRecord(genuine);
        router.onRecord(genuine);

        assertEquals(List.of("run-1"), runs.spawned);
        assertEquals(1.0, meters.skippedCount(SkipReason.REPLAYED));
        assertTrue(events.events().isEmpty(), "a replay gets no answer: " + events.events());
    }

    @Test
    void anAssignmentRememberedFromTheTopicBeforeARestartIsAReplayAfterIt() {
        ControlRouter restarted = router(true);
        byte[] genuine = signed("run-1", assignment("w1", 1));
        restarted.remember(genuine);
        restarted.remember(record("run-2", assignment("w1", 1))); // unsigned history is not remembered

        restarted.onRecord(genuine);

        assertTrue(runs.spawned.isEmpty());
        assertEquals(1.0, meters.skippedCount(SkipReason.REPLAYED));
    }

    @Test
    void relaysRunCommandsVerbatimAndStopsOnStopRun() {
        ControlRouter router = router(true);
        runs.known.add("run-1");
        byte[] start = signed("run-1", new StartRun(1, 2, 3, 4));
        byte[] stop = signed("run-1", new StopRun(StopRun.Reason.COMPLETED, "done"));
        router.onRecord(start);
        router.onRecord(record("run-1", new RateChange(5))); // unsigned: dropped
        router.onRecord(stop);
        router.onRecord(start); // replayed: dropped

        assertEquals(List.of(new String(start, StandardCharsets.UTF_8)), runs.lines.get("relay"));
        assertEquals(List.of(new String(stop, StandardCharsets.UTF_8)), runs.lines.get("stop"));
        assertEquals(1.0, meters.skippedCount(SkipReason.UNSIGNED));
        assertEquals(1.0, meters.skippedCount(SkipReason.REPLAYED));
    }

    @Test
    void agentsGetTheValidatedAssignmentWithTheWorkersSettingsNotTheRecordsOwn() {
        ControlRouter router = new ControlRouter(
                "w1",
                codec,
                Optional.empty(),
                new AssignmentValidator(
                        List.of(GlobPattern.server("ctl:9092")),
                        List.of(),
                        new ClientConfigPolicy(null, Map.of("ssl.truststore.location", "worker.p12")),
                        PayloadDirectory.none(),
                        4,
                        CLOCK),
                runs,
                events,
                meters);
        RunAssignment base = assignment("w1", 1);
        AgentTask task = base.tasks().get(0);
        RunAssignment sent = new RunAssignment(
                base.assignmentId(),
                "w1",
                List.of(task.withClientConfig(
                        Map.of("linger.ms", "5", "ssl.truststore.location", "/tmp/attacker.p12"))),
                1,
                List.of(),
                DEADLINE);
        router.onRecord(record("run-1", sent));
        assertEquals(
                Map.of("linger.ms", "5", "ssl.truststore.location", "worker.p12"),
                runs.assignments.get(0).tasks().get(0).clientConfig());

        router.onRecord(record(
                "run-2",
                new RunAssignment(
                        "other",
                        "w1",
                        List.of(task.withClientConfig(Map.of("interceptor.classes", "x.Y"))),
                        1,
                        List.of(),
                        DEADLINE)));
        assertEquals(1, runs.assignments.size(), "the rejected one reached no agent");
        assertEquals(
                AssignmentRejected.Reason.INVALID,
                events.of(AssignmentRejected.class).get(0).reason());
    }

    /** Records what the router asked of the agents. */
    private static final class RecordingRuns implements AgentRuns {
        final List<String> spawned = new ArrayList<>();
        final List<RunAssignment> assignments = new ArrayList<>();
        final List<String> known = new ArrayList<>();
        final Map<String, List<String>> lines = new HashMap<>();
        int running;

        @Override
        public int runningAgents() {
            return running;
        }

        @Override
        public boolean hasRun(String runId) {
            return known.contains(runId);
        }

        @Override
        public void spawn(String runId, RunAssignment assignment) {
            spawned.add(runId);
            assignments.add(assignment);
            known.add(runId);
        }

        @Override
        public void relay(String runId, String line) {
            lines.computeIfAbsent("relay", k -> new ArrayList<>()).add(line);
        }

        @Override
        public void stop(String runId, String stopLine) {
            lines.computeIfAbsent("stop", k -> new ArrayList<>()).add(stopLine);
        }
    }
}
