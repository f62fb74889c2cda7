package io.kbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.AgentSpawned;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.AssignmentRejected;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.worker.testing.ControlPublisher;
import io.kbench.worker.testing.Poll;
import io.kbench.worker.testing.Tasks;
import io.kbench.worker.testing.TopicTail;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review's replay, against a real signed daemon: a verbatim copy of a genuine signed assignment, produced by
 * someone who can only write the control topic, starts nothing, neither while the daemon runs nor after it
 * restarted, and is counted as replayed both times.
 */
@ExtendWith(KafkaClusterExtension.class)
class WorkerReplayIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BENCH_TOPIC = "replay-bench";
    private static final ControlSigner SIGNER =
            new ControlSigner("replay-it-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void aVerbatimReplayStartsNothingWhileRunningNorAfterARestartAndIsCounted(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(BENCH_TOPIC, 1, (short) 1)))
                    .all()
                    .get();
        }
        KbenchTopics topics = new KbenchTopics("replay");
        String worker = "w-replay";
        WorkerConfig config = WorkerConfig.builder(bootstrap)
                .topicPrefix("replay")
                .workerId(worker)
                .secret(SIGNER)
                .requireSigned(true)
                .logDir(dir.resolve("logs"))
                .stopGrace(Duration.ofSeconds(3))
                .build();
        // Three agents in one JVM: the review saw three agents started by one replayed record.
        List<AgentTask> tasks = IntStream.range(0, 3)
                .<AgentTask>mapToObj(i -> Tasks.producer("p" + i, bootstrap, BENCH_TOPIC, 5))
                .toList();
        RunAssignment genuine = new RunAssignment(
                UUID.randomUUID().toString(),
                worker,
                tasks,
                3,
                List.of(),
                System.currentTimeMillis() + Duration.ofMinutes(3).toMillis());

        try (ControlPublisher control = new ControlPublisher(bootstrap, topics.control());
                TopicTail events = new TopicTail(bootstrap, topics.events())) {
            byte[] recorded;
            try (WorkerDaemon daemon = new WorkerDaemon(config)) {
                daemon.start();
                recorded = control.sendSigned(SIGNER, "run-old", genuine);
                events.await(AgentSpawned.class, s -> true, 1, WAIT);

                // (c) A replay while the daemon runs.
                control.raw("run-old", recorded);
                awaitProcessed(control, events, worker, 1);
                assertEquals(1.0, daemon.meters().orElseThrow().skippedCount(SkipReason.REPLAYED));
                assertEquals(1, events.of(AgentSpawned.class, s -> true).size(), "the replay started nothing");
                assertEquals(3, daemon.runningAgents());
                assertEquals(3.0, daemon.meters().orElseThrow().spawnedCount());

                control.sendSigned(SIGNER, "run-old", new StopRun(StopRun.Reason.COMPLETED, "over"));
                Poll.until(() -> daemon.runningAgents() == 0, WAIT);
            }

            // (b) The same bytes after a restart: the new daemon's memory came from the control topic.
            try (WorkerDaemon restarted = new WorkerDaemon(config)) {
                restarted.start();
                control.raw("run-old", recorded);
                awaitProcessed(control, events, worker, 2);

                assertEquals(1.0, restarted.meters().orElseThrow().skippedCount(SkipReason.REPLAYED));
                assertEquals(1, events.of(AgentSpawned.class, s -> true).size(), "the replay started nothing");
                assertEquals(0, restarted.runningAgents());
                assertEquals(0.0, restarted.meters().orElseThrow().spawnedCount());
            }
        }
    }

    /**
     * Control records are handled in order: once an unsigned assignment sent after the replay is answered (the
     * {@code count}-th such answer), the replay has been handled.
     */
    private static void awaitProcessed(ControlPublisher control, TopicTail events, String worker, int count) {
        RunAssignment marker = new RunAssignment(
                "marker-" + count,
                worker,
                List.of(Tasks.producer("m" + count, "unused:9092", BENCH_TOPIC, 1)),
                1,
                List.of(),
                System.currentTimeMillis() + 60_000);
        control.send("run-marker", marker);
        List<AssignmentRejected> rejected = events.await(
                AssignmentRejected.class,
                r -> r.assignmentId().startsWith("marker-") && r.reason() == AssignmentRejected.Reason.BAD_SIGNATURE,
                count,
                WAIT);
        assertEquals(count, rejected.size());
    }
}
