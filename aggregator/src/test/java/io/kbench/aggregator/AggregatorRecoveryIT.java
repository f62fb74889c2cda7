package io.kbench.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.protocol.topic.TopicEnsurer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A synthetic 20-agent run through a real aggregator that is killed (SIGKILL, a separate JVM) in the middle,
 * then finished by a fresh instance with an empty state directory: its summary must equal that of the same
 * run processed without interruption, and the uninterrupted summary must appear within 2 s of the last report.
 * The killed instance checkpoints rarely (only when a window closes, and windows close only once every agent has
 * reported past them: the run's schedule lies ahead of the wall clock) and is killed once it has committed the
 * producers' second half, which closes no window: the fresh one must read those back from the metrics topic.
 */
@ExtendWith(KafkaClusterExtension.class)
class AggregatorRecoveryIT {

    private static final int PRODUCERS = 10;
    private static final int CONSUMERS = 10;
    private static final int INTERVALS = 10;
    private static final long WARMUP_MS = 2_000;
    private static final Map<String, String> FAST_FAILOVER =
            Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500");

    private static final Logger LOGGER = LoggerFactory.getLogger(AggregatorRecoveryIT.class);

    private final MessageCodec codec = new MessageCodec();

    @Test
    void resumesAfterACrashWithoutLosingOrDoubleCountingAndSummarizesWithinTwoSeconds(
            KafkaCluster kafka, @TempDir Path tmp) throws Exception {
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
        KbenchTopics topics = new KbenchTopics(prefix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicEnsurer(admin, Duration.ofSeconds(30)).ensure(topics.all());
        }
        long startAt = System.currentTimeMillis() + 120_000;
        List<StatsReport> reports = syntheticRun(startAt);
        int half = INTERVALS / 2;
        List<StatsReport> firstHalf =
                reports.stream().filter(r -> r.seq() < half).toList();
        List<StatsReport> producersLater = reports.stream()
                .filter(r -> r.seq() >= half && r.role() == AgentRole.PRODUCER)
                .toList();
        List<StatsReport> consumersLater = reports.stream()
                .filter(r -> r.seq() >= half && r.role() == AgentRole.CONSUMER)
                .toList();

        try (KafkaProducer<String, byte[]> producer = KafkaClients.controlProducer(kafka.bootstrapServers(), Map.of());
                KafkaConsumer<String, byte[]> windows = committedReader(kafka, topics.windows());
                KafkaConsumer<String, byte[]> results = committedReader(kafka, topics.results())) {
            // Run A: a first aggregator (its own JVM) takes the first half, and is killed mid-stream.
            Process crashing = startAggregatorJvm(kafka, prefix, tmp);
            try {
                sendControl(producer, topics, "run-a", startAt);
                send(producer, topics, "run-a", firstHalf);
                awaitMessage(
                        windows,
                        m -> m instanceof WindowSummary w && w.runId().equals("run-a"),
                        Duration.ofSeconds(60));
                send(producer, topics, "run-a", producersLater);
                // Killed once it has committed them: folded in its memory, and (no window closes, checkpoints 10 min
                // apart) in no checkpoint.
                awaitCommittedToTheEnd(kafka, prefix + "-aggregator", topics.metrics(), Duration.ofSeconds(60));
            } finally {
                crashing.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            send(producer, topics, "run-a", consumersLater);

            // A fresh instance with an empty state directory finishes run A, then runs B uninterrupted.
            AggregatorConfig config = AggregatorConfig.of(kafka.bootstrapServers())
                    .withTopicPrefix(prefix)
                    .withClientConfig(FAST_FAILOVER)
                    .withStateDir(tmp.resolve("fresh"))
                    .withMemberId("fresh")
                    .withMetricsPort(-1);
            try (Aggregator fresh = new Aggregator(config).start()) {
                RunSummary a = (RunSummary) awaitMessage(
                        results, m -> m instanceof RunSummary s && s.runId().equals("run-a"), Duration.ofSeconds(90));

                sendControl(producer, topics, "run-b", startAt);
                send(producer, topics, "run-b", reports);
                long lastReportAcked = System.nanoTime();
                RunSummary b = (RunSummary) awaitMessage(
                        results, m -> m instanceof RunSummary s && s.runId().equals("run-b"), Duration.ofSeconds(30));
                long delayMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastReportAcked);

                LOGGER.info("run summary of run-b on the results topic {} ms after the last report", delayMs);
                assertTrue(delayMs < 2_000, "run summary " + delayMs + " ms after the last report");
                assertSameFigures(expected(reports), a);
                assertSameFigures(b, a);
                assertEquals(0.0, fresh.metrics().skipped("duplicate"));
                // At least those; reports of the first half processed after its last window closed are read back too.
                assertTrue(
                        fresh.metrics().replayed() >= producersLater.size(),
                        "reports read back from the metrics topic: "
                                + fresh.metrics().replayed());
            }
        }
    }

    /** 10 producers and 10 consumers, 10 one-second intervals each (2 of warm-up), seeded. */
    private static List<StatsReport> syntheticRun(long startAt) {
        List<StatsReport> reports = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < INTERVALS; i++) {
            long from = startAt + i * 1_000L;
            Phase phase = from < startAt + WARMUP_MS ? Phase.WARMUP : Phase.MEASURE;
            boolean last = i == INTERVALS - 1;
            for (int p = 0; p < PRODUCERS; p++) {
                long sent = 1_000 + random.nextInt(500);
                Histogram publish = HistogramCodec.newHistogram();
                Histogram intended = HistogramCodec.newHistogram();
                for (int s = 0; s < 300; s++) {
                    long value = 100
                            + (long) Math.abs(random.nextGaussian() * 2_000)
                            + random.nextInt(30_000) / (1 + random.nextInt(50));
                    publish.recordValue(value);
                    intended.recordValue(value + random.nextInt(500));
                }
                Map<LatencyKind, String> histograms = new EnumMap<>(LatencyKind.class);
                histograms.put(LatencyKind.PUBLISH_LATENCY, HistogramCodec.encode(publish));
                histograms.put(LatencyKind.INTENDED_LATENCY, HistogramCodec.encode(intended));
                reports.add(new StatsReport(
                        "p" + p,
                        "w" + (p % 4),
                        AgentRole.PRODUCER,
                        phase,
                        i,
                        from,
                        from + 1_000,
                        sent,
                        sent * 1_024,
                        random.nextInt(3),
                        Map.of(),
                        0,
                        0,
                        0,
                        300_000_000L,
                        0,
                        histograms,
                        last,
                        last ? AgentStop.SCHEDULE_END : null,
                        null,
                        0,
                        0L,
                        null,
                        null));
            }
            for (int c = 0; c < CONSUMERS; c++) {
                long received = 1_000 + random.nextInt(500);
                Histogram endToEnd = HistogramCodec.newHistogram();
                for (int s = 0; s < 300; s++) {
                    endToEnd.recordValue(500 + random.nextInt(80_000));
                }
                reports.add(new StatsReport(
                        "c" + c,
                        "w" + (c % 4),
                        AgentRole.CONSUMER,
                        phase,
                        i,
                        from,
                        from + 1_000,
                        0,
                        0,
                        0,
                        Map.of(),
                        received,
                        received * 1_024,
                        random.nextInt(2),
                        200_000_000L,
                        0,
                        Map.of(LatencyKind.END_TO_END_LATENCY, HistogramCodec.encode(endToEnd)),
                        last,
                        last ? AgentStop.SCHEDULE_END : null,
                        null,
                        0,
                        0L,
                        null,
                        null));
            }
        }
        return reports;
    }

    /** The measured totals and merged histograms computed directly from the reports. */
    private static RunSummary expected(List<StatsReport> reports) {
        long sent = 0, bytesSent = 0, errors = 0, received = 0, bytesReceived = 0, negative = 0;
        Map<LatencyKind, Histogram> merged = new EnumMap<>(LatencyKind.class);
        for (StatsReport r : reports) {
            if (!r.phase().isMeasured()) {
                continue;
            }
            sent += r.messagesSent();
            bytesSent += r.bytesSent();
            errors += r.sendErrors();
            received += r.messagesReceived();
            bytesReceived += r.bytesReceived();
            negative += r.negativeEndToEnd();
            r.histograms().forEach((kind, text) -> merged.computeIfAbsent(kind, k -> HistogramCodec.newHistogram())
                    .add(HistogramCodec.decode(text)));
        }
        Map<LatencyKind, io.kbench.protocol.message.LatencyStats> latencies = new EnumMap<>(LatencyKind.class);
        Map<LatencyKind, String> histograms = new EnumMap<>(LatencyKind.class);
        merged.forEach((kind, h) -> {
            latencies.put(kind, HistogramCodec.stats(h));
            histograms.put(kind, HistogramCodec.encode(h));
        });
        return new RunSummary(
                "expected",
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                0,
                null,
                sent,
                bytesSent,
                errors,
                null,
                received,
                bytesReceived,
                negative,
                0,
                latencies,
                histograms,
                null,
                null,
                null,
                0,
                20,
                0,
                null,
                List.of());
    }

    private static void assertSameFigures(RunSummary expected, RunSummary actual) {
        assertEquals(List.of(), actual.missingAgents());
        assertEquals(expected.messagesSent(), actual.messagesSent(), "messagesSent");
        assertEquals(expected.bytesSent(), actual.bytesSent(), "bytesSent");
        assertEquals(expected.sendErrors(), actual.sendErrors(), "sendErrors");
        assertEquals(expected.messagesReceived(), actual.messagesReceived(), "messagesReceived");
        assertEquals(expected.bytesReceived(), actual.bytesReceived(), "bytesReceived");
        assertEquals(expected.negativeEndToEnd(), actual.negativeEndToEnd(), "negativeEndToEnd");
        assertEquals(expected.agents(), actual.agents(), "agents");
        for (LatencyKind kind :
                List.of(LatencyKind.PUBLISH_LATENCY, LatencyKind.INTENDED_LATENCY, LatencyKind.END_TO_END_LATENCY)) {
            assertEquals(expected.latencies().get(kind), actual.latencies().get(kind), kind + " percentiles");
            assertEquals(
                    HistogramCodec.decode(expected.histograms().get(kind)),
                    HistogramCodec.decode(actual.histograms().get(kind)),
                    kind + " histogram");
        }
    }

    private void sendControl(KafkaProducer<String, byte[]> producer, KbenchTopics topics, String runId, long startAt)
            throws Exception {
        List<String> agents = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            agents.add("p" + p);
        }
        for (int c = 0; c < CONSUMERS; c++) {
            agents.add("c" + c);
        }
        long deadline = System.currentTimeMillis() + 300_000;
        for (Message message : List.of(
                Fixtures.spec(agents, 1, 2, null, null),
                new StartRun(startAt, WARMUP_MS, INTERVALS * 1_000L - WARMUP_MS, deadline))) {
            producer.send(new ProducerRecord<>(topics.control(), runId, codec.encode(runId, message, null)))
                    .get();
        }
    }

    private void send(
            KafkaProducer<String, byte[]> producer, KbenchTopics topics, String runId, List<StatsReport> batch)
            throws Exception {
        var last = (java.util.concurrent.Future<?>) null;
        for (StatsReport report : batch) {
            last = producer.send(new ProducerRecord<>(topics.metrics(), runId, codec.encode(runId, report, null)));
        }
        if (last != null) {
            last.get();
        }
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

    private Message awaitMessage(KafkaConsumer<String, byte[]> consumer, Predicate<Message> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                Optional<Message> message = codec.decode(record.value()) instanceof Decoded.Ok ok
                        ? Optional.of(ok.message())
                        : Optional.empty();
                if (message.isPresent() && wanted.test(message.get())) {
                    return message.get();
                }
            }
        }
        throw new AssertionError("no matching message within " + timeout);
    }

    /** An aggregator in its own JVM, so it can be killed without any shutdown (SIGKILL). */
    /** Waits until the application's committed offset of every partition of {@code topic} is that partition's end. */
    private static void awaitCommittedToTheEnd(KafkaCluster kafka, String groupId, String topic, Duration timeout)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                var committed = admin.listConsumerGroupOffsets(
                                groupId, new ListConsumerGroupOffsetsOptions().requireStable(true))
                        .partitionsToOffsetAndMetadata()
                        .get();
                boolean done = ends.entrySet().stream()
                        .allMatch(e -> e.getValue() == 0
                                || (committed.get(e.getKey()) != null
                                        && committed.get(e.getKey()).offset() >= e.getValue()));
                if (done) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "committed " + committed + ", ends " + ends);
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    private static Process startAggregatorJvm(KafkaCluster kafka, String prefix, Path tmp) throws IOException {
        Path clientConfig = tmp.resolve("client.properties");
        StringBuilder properties = new StringBuilder();
        FAST_FAILOVER.forEach(
                (key, value) -> properties.append(key).append('=').append(value).append('\n'));
        Files.writeString(clientConfig, properties);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        AggregatorCommand.class.getName(),
                        "--bootstrap-server",
                        kafka.bootstrapServers(),
                        "--command-config",
                        clientConfig.toString(),
                        "--topic-prefix",
                        prefix,
                        "--state-dir",
                        tmp.resolve("crashing").toString(),
                        "--member-id",
                        "crashing",
                        "--metrics-port",
                        "-1",
                        "--checkpoint-interval-ms",
                        "600000")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("crashing.log").toFile())
                .start();
    }
}
