package io.kbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.AgentSpawned;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.AssignmentRejected;
import io.kbench.protocol.message.PayloadSpec;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.worker.testing.ControlPublisher;
import io.kbench.worker.testing.Poll;
import io.kbench.worker.testing.TopicTail;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review's attack, replayed against a real daemon: whoever writes the control topic of an unsigned worker
 * asks its agents to read files outside the payload directory and to load classes. Each such assignment is
 * answered by {@code AssignmentRejected}, no agent starts for it, and nothing on the events topic carries the
 * secret file's content; an honest assignment with a payload file from the directory still runs.
 */
@ExtendWith(KafkaClusterExtension.class)
class WorkerDaemonSecurityIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String SECRET = "kbench-it-hmac-secret-7d1f0b-must-never-reach-a-topic";
    private static final String BENCH_TOPIC = "sec-bench";
    private static final int MESSAGE_SIZE = 100;

    @TempDir
    Path dir;

    private static AgentTask producer(String agentId, String bootstrap, Map<String, String> config, String payload) {
        return new ProducerTask(
                agentId,
                bootstrap,
                config,
                BENCH_TOPIC,
                5,
                1,
                MESSAGE_SIZE,
                payload == null ? null : new PayloadSpec(payload, false, 0, 0),
                null,
                1000);
    }

    private static RunAssignment assignment(String workerId, AgentTask task) {
        return new RunAssignment(
                UUID.randomUUID().toString(),
                workerId,
                List.of(task),
                1,
                List.of(),
                System.currentTimeMillis() + Duration.ofSeconds(30).toMillis());
    }

    @Test
    void filesOutsideThePayloadDirAndClassLoadingSettingsAreRejectedAndNothingLeaks(KafkaCluster kafka)
            throws Exception {
        String bootstrap = kafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(BENCH_TOPIC, 1, (short) 1)))
                    .all()
                    .get();
        }
        Path payloadDir = Files.createDirectories(dir.resolve("payload"));
        Files.write(payloadDir.resolve("ok.data"), new byte[MESSAGE_SIZE]);
        // The secret has exactly the payload's size: before, an agent would even have sent it as messages.
        Path secret = Files.writeString(dir.resolve("hmac.secret"), pad(SECRET), StandardCharsets.UTF_8);
        Files.createSymbolicLink(payloadDir.resolve("innocent.data"), secret);

        KbenchTopics topics = new KbenchTopics("sec");
        String worker = "w-sec";
        WorkerConfig config = WorkerConfig.builder(bootstrap)
                .topicPrefix("sec")
                .workerId(worker)
                .logDir(dir.resolve("logs"))
                .payloadDir(payloadDir)
                .stopGrace(Duration.ofSeconds(3))
                .build();
        assertTrue(config.unsignedWarning().isPresent(), "this daemon is the unsigned one of the review");
        try (WorkerDaemon daemon = new WorkerDaemon(config);
                ControlPublisher control = new ControlPublisher(bootstrap, topics.control())) {
            daemon.start();
            try (TopicTail events = new TopicTail(bootstrap, topics.events())) {
                List<RunAssignment> attacks = new ArrayList<>();
                attacks.add(assignment(worker, producer("a0", bootstrap, Map.of(), "/etc/passwd")));
                attacks.add(assignment(worker, producer("a1", bootstrap, Map.of(), "../../../../../../etc/passwd")));
                attacks.add(assignment(worker, producer("a2", bootstrap, Map.of(), secret.toString())));
                attacks.add(assignment(worker, producer("a3", bootstrap, Map.of(), "../hmac.secret")));
                attacks.add(assignment(worker, producer("a4", bootstrap, Map.of(), "innocent.data")));
                attacks.add(assignment(
                        worker,
                        producer(
                                "a5",
                                bootstrap,
                                Map.of("interceptor.classes", "com.example.Exfiltrate", "linger.ms", "1"),
                                null)));
                attacks.add(
                        assignment(worker, producer("a6", bootstrap, Map.of("sasl.jaas.config", "x required;"), null)));
                for (RunAssignment attack : attacks) {
                    control.send("run-attack", attack);
                }
                RunAssignment honest = assignment(worker, producer("ok0", bootstrap, Map.of("acks", "all"), "ok.data"));
                control.send("run-honest", honest);

                // Records are handled in order: once the honest agent is ready, every attack has been answered.
                events.await(AgentReady.class, r -> r.agentId().equals("ok0"), 1, WAIT);
                List<AssignmentRejected> rejected = events.of(AssignmentRejected.class, r -> true);
                assertEquals(
                        attacks.stream().map(RunAssignment::assignmentId).collect(Collectors.toSet()),
                        rejected.stream().map(AssignmentRejected::assignmentId).collect(Collectors.toSet()));
                assertTrue(
                        rejected.stream().allMatch(r -> r.reason() == AssignmentRejected.Reason.INVALID),
                        "" + rejected);
                assertTrue(
                        rejected.stream().anyMatch(r -> r.detail().contains("'interceptor.classes'")), "" + rejected);
                assertEquals(
                        List.of(List.of("ok0")),
                        events.of(AgentSpawned.class, s -> true).stream()
                                .map(AgentSpawned::agentIds)
                                .toList(),
                        "no agent started for an attack");
                assertEquals(
                        attacks.size(), daemon.meters().orElseThrow().rejectedCount(AssignmentRejected.Reason.INVALID));

                control.send("run-honest", new StopRun(StopRun.Reason.OPERATOR, "test over"));
                Poll.until(() -> daemon.runningAgents() == 0, WAIT);

                String everything = rawValues(bootstrap, topics.events());
                assertFalse(everything.isEmpty());
                assertFalse(everything.contains(SECRET), "the secret reached the events topic");
                String passwdFirstLine = Files.isReadable(Path.of("/etc/passwd"))
                        ? Files.readAllLines(Path.of("/etc/passwd")).stream()
                                .findFirst()
                                .orElse("")
                        : "";
                assertFalse(
                        !passwdFirstLine.isBlank() && everything.contains(passwdFirstLine),
                        "/etc/passwd reached the events topic");
            }
        }
    }

    /** Exactly the payload's size, so only the daemon stands between it and a producer's messages. */
    private static String pad(String text) {
        return (text + "-".repeat(MESSAGE_SIZE)).substring(0, MESSAGE_SIZE);
    }

    /** Every record value of a topic, as text, read to its end: what anyone who can read it sees. */
    private static String rawValues(String bootstrap, String topic) {
        StringBuilder all = new StringBuilder();
        try (KafkaConsumer<String, byte[]> reader = KafkaClients.readerConsumer(bootstrap, Map.of())) {
            List<TopicPartition> partitions = reader.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            Set<TopicPartition> open = new java.util.HashSet<>(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!open.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within " + WAIT);
                }
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        all.append(new String(record.value(), StandardCharsets.UTF_8))
                                .append('\n');
                    }
                }
                open.removeIf(p -> reader.position(p) >= end.get(p));
            }
        }
        return all.toString();
    }
}
