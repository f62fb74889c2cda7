package io.kbench.aggregator;

import static io.kbench.aggregator.Fixtures.produced;
import static io.kbench.aggregator.Fixtures.range;
import static io.kbench.aggregator.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.security.ControlValidity;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.protocol.topic.TopicEnsurer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review's attack on a real signed aggregator: with write access to the control topic only, one unsigned
 * {@code StopRun(FAILED)} turned a healthy signed run into FAILED. Now it is ignored and counted, a verbatim replay
 * of a genuine record is counted as replayed, and the signed run completes.
 */
@ExtendWith(KafkaClusterExtension.class)
class AggregatorSecurityIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ControlSigner SIGNER =
            new ControlSigner("aggregator-it-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    private final MessageCodec codec = new MessageCodec();

    @Test
    @Timeout(180)
    void anUnsignedStopRunIsIgnoredAndCountedAndTheSignedRunCompletes(KafkaCluster kafka, @TempDir Path tmp)
            throws Exception {
        String prefix = "sec-" + UUID.randomUUID().toString().substring(0, 8);
        KbenchTopics topics = new KbenchTopics(prefix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicEnsurer(admin, Duration.ofSeconds(30)).ensure(topics.all());
        }
        AggregatorConfig config = AggregatorConfig.of(kafka.bootstrapServers())
                .withTopicPrefix(prefix)
                .withStateDir(tmp.resolve("state"))
                .withMemberId("signed")
                .withMetricsPort(-1)
                .withSecret(SIGNER);
        long now = System.currentTimeMillis();
        long startAt = now - 5_000;
        String runId = "run-signed";
        try (Aggregator aggregator = new Aggregator(config).start();
                KafkaProducer<String, byte[]> producer =
                        KafkaClients.controlProducer(kafka.bootstrapServers(), Map.of());
                KafkaConsumer<String, byte[]> results = committedReader(kafka, topics.results())) {
            send(producer, topics.control(), runId, signed(runId, spec(List.of("a"), 1, 1, null, null)));
            byte[] start = signed(runId, new StartRun(startAt, 0, 2_000, now + 120_000));
            send(producer, topics.control(), runId, start);
            // The attacks, as kcat would write them: an unsigned StopRun, and a copy of a genuine record.
            send(
                    producer,
                    topics.control(),
                    runId,
                    codec.encode(runId, new StopRun(StopRun.Reason.FAILED, "forged"), Duration.ofMinutes(5)));
            send(producer, topics.control(), runId, start);

            // Only once both are handled may the run end: otherwise the StopRun would arrive too late to matter.
            awaitWhilePolling(
                    results,
                    () -> aggregator.metrics().skipped("unsigned") >= 1
                            && aggregator.metrics().skipped("replayed") >= 1);
            for (int seq = 0; seq < 2; seq++) {
                long from = startAt + seq * 1_000L;
                send(
                        producer,
                        topics.metrics(),
                        runId,
                        codec.encode(
                                runId,
                                produced(
                                        "a", "w1", Phase.MEASURE, seq, from, from + 1_000, 500, range(1, 50), seq == 1),
                                null));
            }

            RunSummary summary = awaitSummary(results, runId);
            assertEquals(RunStatus.COMPLETE, summary.status(), "the forged StopRun(FAILED) had no effect");
            assertEquals(1_000, summary.messagesSent());
            assertEquals(1.0, aggregator.metrics().skipped("unsigned"));
            assertEquals(1.0, aggregator.metrics().skipped("replayed"));
            assertEquals(0.0, aggregator.metrics().skipped("bad_signature"));
        }
    }

    private byte[] signed(String runId, Message message) {
        return codec.encode(
                SIGNER.sign(codec.envelope(runId, message, ControlValidity.of(message, System.currentTimeMillis()))));
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static KafkaConsumer<String, byte[]> committedReader(KafkaCluster kafka, String topic) {
        KafkaConsumer<String, byte[]> consumer =
                KafkaClients.readerConsumer(kafka.bootstrapServers(), Map.of("isolation.level", "read_committed"));
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Waits for a condition, the results consumer's poll being the pause between checks. */
    private static void awaitWhilePolling(KafkaConsumer<String, byte[]> results, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            results.poll(Duration.ofMillis(100)); // nothing is expected yet; the results are read from the start later
        }
        results.seekToBeginning(results.assignment());
    }

    private RunSummary awaitSummary(KafkaConsumer<String, byte[]> results, String runId) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : results.poll(Duration.ofMillis(100))) {
                if (codec.decode(record.value()) instanceof Decoded.Ok ok
                        && ok.message() instanceof RunSummary summary
                        && summary.runId().equals(runId)) {
                    return summary;
                }
            }
        }
        throw new AssertionError("no run summary of " + runId + " within " + WAIT);
    }
}
