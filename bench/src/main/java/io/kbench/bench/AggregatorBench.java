package io.kbench.bench;

import io.kbench.aggregator.Aggregator;
import io.kbench.aggregator.AggregatorConfig;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.Workload;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Benchmark 5 (bench/aggregator.sh): one aggregator ({@link Aggregator}, in this JVM, against an embedded
 * broker) fed the StatsReports of a synthetic run: by default 2,000 agents (half producers with three histograms,
 * half consumers with one), each reporting every 100 ms, i.e. 20,000 reports/s, in real time. Measures, end to
 * end, the reports/s the aggregator processes and commits (first report sent → its consumer group's committed
 * offset on the run's metrics partition covering every report), its largest lag, the drain rate once the load
 * stops, and the delay from the last report's acknowledgement to the RunSummary on the results topic. Goal:
 * >= 20,000 reports/s, summary within 2 s.
 *
 * <p>Options: {@code --agents 2000}, {@code --interval-ms 100}, {@code --seconds 10}, {@code --backlog} (produce
 * every report first, as fast as the producer goes, and only then start the aggregator: its capacity, from Streams
 * {@code RUNNING} to every report committed, without the synthetic producer sharing the CPU; the summary delay is
 * then from {@code RUNNING}, not meaningful).
 */
public final class AggregatorBench {

    private static final double GOAL_REPORTS_PER_S = 20_000;
    /** How often the committed offset is sampled once the load has stopped. */
    private static final long SAMPLE_MS = 50;
    /**
     * StartRun's deadline after the measurement: long enough that a slow host (the synthetic producer falling behind
     * real time) gets the summary that every agent's last report earns, not one cut at the deadline.
     */
    private static final long DEADLINE_SLACK_MS = 300_000;

    private AggregatorBench() {}

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        if (a.intOpt("--simulate", 0) > 0) {
            AggregatorMergeSimulation.run(a);
            return;
        }
        int agents = a.intOpt("--agents", 2000);
        int intervalMs = a.intOpt("--interval-ms", 100);
        int seconds = a.intOpt("--seconds", 10);
        boolean backlog = a.flag("--backlog");
        double target = agents * 1000.0 / intervalMs;
        System.out.println(Bench.header("aggregator: synthetic StatsReport load into one instance"));
        Bench.println(
                "%d agents x one report per %d ms = %,.0f reports/s for %d s (%,d reports)%s; exactly_once_v2,"
                        + " default commit interval",
                agents,
                intervalMs,
                target,
                seconds,
                (long) agents * seconds * 1000 / intervalMs,
                backlog ? ", produced before the aggregator starts" : "");
        MessageCodec codec = new MessageCodec();
        boolean met;
        try (BenchBroker broker = new BenchBroker();
                Aggregator aggregator = new Aggregator(AggregatorConfig.of(broker.bootstrap())
                        .withMemberId("bench-aggregator")
                        .withMetricsPort(-1)
                        .withStateDir(Files.createTempDirectory("kbench-bench-agg-")));
                KafkaProducer<String, byte[]> producer = KafkaClients.controlProducer(broker.bootstrap(), Map.of());
                KafkaConsumer<String, byte[]> results = KafkaClients.readerConsumer(broker.bootstrap(), Map.of());
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            if (!backlog) {
                startAndAwait(aggregator);
            }
            String metrics = broker.topics().metrics();
            List<TopicPartition> resultParts = results
                    .partitionsFor(broker.topics().results())
                    .stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            results.assign(resultParts);
            results.seekToEnd(resultParts);
            resultParts.forEach(results::position);

            String runId = "aggbench-" + System.currentTimeMillis();
            List<String> agentIds = agentIds(agents);
            long measureMs = seconds * 1000L;
            long now = System.currentTimeMillis();
            RunSpec spec = spec(agentIds, measureMs, intervalMs, now);
            long startAt = now + 3000;
            send(producer, broker.topics().control(), runId, codec.encode(runId, spec, Duration.ofHours(1)));
            send(
                    producer,
                    broker.topics().control(),
                    runId,
                    codec.encode(
                            runId,
                            new StartRun(startAt, 0, measureMs, startAt + measureMs + DEADLINE_SLACK_MS),
                            Duration.ofHours(1)));
            producer.flush();

            Map<LatencyKind, String> producerHist = histograms(new Random(1), true);
            Map<LatencyKind, String> consumerHist = histograms(new Random(2), false);
            int partition = producer.partitionsFor(metrics).size();
            TopicPartition runPartition = null;
            int ticks = (int) (measureMs / intervalMs);
            List<long[]> samples = new ArrayList<>(); // {atMs, committed, end}
            long firstOffset = -1;
            long firstSent = 0;
            long lastSent = 0;
            if (backlog) {
                Bench.sleepUntil(startAt);
            }
            long streamCpuAtStart = backlog ? 0 : streamThreadCpuNanos();
            for (int k = 0; k < ticks; k++) {
                long intervalStart = startAt + (long) k * intervalMs;
                long intervalEnd = intervalStart + intervalMs;
                if (!backlog) {
                    Bench.sleepUntil(intervalEnd);
                }
                boolean last = k == ticks - 1;
                for (int i = 0; i < agents; i++) {
                    boolean isProducer = i % 2 == 0;
                    StatsReport r =
                            report(i, agentIds.get(i), k, intervalStart, intervalEnd, last, producerHist, consumerHist);
                    var meta = producer.send(new ProducerRecord<>(metrics, runId, codec.encode(runId, r, null)));
                    if (runPartition == null) {
                        firstSent = System.currentTimeMillis();
                        runPartition = new TopicPartition(metrics, meta.get().partition());
                        firstOffset = meta.get().offset();
                    }
                }
                producer.flush();
                lastSent = System.currentTimeMillis();
                if (!backlog) {
                    samples.add(sample(admin, aggregator.config().applicationId(), runPartition, lastSent));
                }
            }
            long producedMs = lastSent - firstSent;
            if (backlog) {
                startAndAwait(aggregator);
                firstSent = System.currentTimeMillis(); // the processing clock starts at RUNNING
                lastSent = firstSent;
            }
            long[] loadEnd = sample(admin, aggregator.config().applicationId(), runPartition, lastSent);
            samples.add(loadEnd);
            long lastReportAt = lastSent;

            RunSummary summary = null;
            long summaryAt = 0;
            long deadline = System.currentTimeMillis() + 120_000;
            long lastSample = 0;
            while (summary == null && System.currentTimeMillis() < deadline) {
                if (System.currentTimeMillis() - lastSample >= SAMPLE_MS) {
                    lastSample = System.currentTimeMillis();
                    samples.add(sample(admin, aggregator.config().applicationId(), runPartition, lastSample));
                }
                for (ConsumerRecord<String, byte[]> rec : results.poll(Duration.ofMillis(20))) {
                    if (runId.equals(rec.key())
                            && codec.decode(rec.value()) instanceof Decoded.Ok ok
                            && ok.message() instanceof RunSummary s) {
                        summary = s;
                        summaryAt = System.currentTimeMillis();
                    }
                }
            }
            long streamCpuNanos = streamThreadCpuNanos() - streamCpuAtStart;
            long[] end = sample(admin, aggregator.config().applicationId(), runPartition, System.currentTimeMillis());
            samples.add(end);

            // Throughput: every report of the run over the time from the first report's send to the sample that
            // shows all of them committed; and the drain rate once the load stopped (what one task can do flat out).
            long total = (long) agents * ticks;
            long lastOffset = firstOffset + total; // the run's reports are contiguous on their partition
            long[] caughtUp = samples.stream()
                    .filter(s -> s[1] >= lastOffset)
                    .findFirst()
                    .orElse(samples.get(samples.size() - 1));
            double overallRate = (caughtUp[1] - firstOffset) * 1000.0 / Math.max(1, caughtUp[0] - firstSent);
            double drainRate = (caughtUp[1] - loadEnd[1]) * 1000.0 / Math.max(1, caughtUp[0] - loadEnd[0]);
            long maxLag = samples.stream()
                    .mapToLong(s -> Math.max(0, Math.min(s[2], lastOffset) - s[1]))
                    .max()
                    .orElse(-1);
            double delay = summary == null ? Double.NaN : (summaryAt - lastReportAt) / 1000.0;
            Bench.println(
                    "  metrics partition %s (one Streams task holds the whole run); %d partitions in all",
                    runPartition, partition);
            Bench.println(
                    "  produced %,.0f reports/s (target %,.0f); aggregator processed %,.0f reports/s overall (%s -> all"
                            + " committed), %,.0f reports/s draining after the load stopped; max lag %,d reports",
                    (double) total * 1000 / Math.max(1, producedMs),
                    target,
                    overallRate,
                    backlog ? "Streams RUNNING" : "first report sent",
                    drainRate,
                    maxLag);
            // The host is shared: the stream thread's own CPU time gives what one dedicated core would do.
            Bench.println(
                    "  stream thread CPU %.1f s for %,d reports: %.1f µs per report, %,.0f reports per CPU-second%s",
                    streamCpuNanos / 1e9,
                    total,
                    streamCpuNanos / 1e3 / total,
                    total * 1e9 / Math.max(1, streamCpuNanos),
                    backlog ? "" : " (from the first report on, with the thread idling between reports)");
            if (summary == null) {
                Bench.println("  no RunSummary within 120 s of the last report");
            } else {
                Bench.println(
                        "  RunSummary %s %.2f s after %s: %d agents, %,d messages sent, missing %s",
                        summary.status(),
                        delay,
                        backlog ? "Streams RUNNING" : "the last report was acknowledged",
                        summary.agents(),
                        summary.messagesSent(),
                        summary.missingAgents());
            }
            // With a backlog the summary waits for the whole backlog: only the rate is judged.
            met = overallRate >= GOAL_REPORTS_PER_S && summary != null && (backlog || delay <= 2.0);
            System.out.println(Bench.verdict(
                    met,
                    backlog
                            ? Bench.f("%,.0f reports/s processed from a backlog (goal >= 20,000)", overallRate)
                            : Bench.f(
                                    "%,.0f reports/s processed (goal >= 20,000), summary %.2f s after the last report"
                                            + " (goal <= 2 s)",
                                    overallRate, delay)));
        }
        System.exit(met ? 0 : 1);
    }

    /** CPU time of this JVM's Kafka Streams threads (one for the aggregator): all their work on the run. */
    private static long streamThreadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("StreamThread")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static void startAndAwait(Aggregator aggregator) throws Exception {
        aggregator.start();
        if (!aggregator.awaitRunning(Duration.ofSeconds(60))) {
            throw new IllegalStateException("aggregator not RUNNING within 60 s: " + aggregator.state());
        }
    }

    /** Agent ids {@code w<i%10>-p<i>} (even i: producers) and {@code w<i%10>-c<i>}. */
    static List<String> agentIds(int agents) {
        List<String> ids = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) {
            ids.add(agentId(i));
        }
        return ids;
    }

    /** A fixed-rate run of these agents (half producers), measured from its start, one subscription. */
    static RunSpec spec(List<String> agentIds, long measureMs, int intervalMs, long now) {
        int agents = agentIds.size();
        Map<String, Integer> perWorker = new LinkedHashMap<>();
        for (int i = 0; i < agents; i++) {
            perWorker.merge(worker(i), 1, Integer::sum);
        }
        Workload workload = Workload.builder()
                .name("aggregator-bench")
                .topics(1)
                .partitionsPerTopic(16)
                .messageSize(1024)
                .subscriptionsPerTopic(1)
                .producersPerTopic(agents / 2)
                .consumerPerSubscription(agents - agents / 2)
                .producerRate(1000.0 * (agents / 2))
                .testDurationSeconds((int) (measureMs / 1000))
                .warmupDurationSeconds(0)
                .statsWindowSeconds(10)
                .build();
        return new RunSpec(
                "aggregator-bench",
                "synthetic",
                workload,
                Map.of(),
                agentIds,
                perWorker,
                List.of("synthetic"),
                1,
                0,
                measureMs,
                intervalMs,
                10,
                null,
                null,
                now);
    }

    /** Agent {@code i}'s measured report {@code seq}: 200 messages sent (producers) or received (consumers). */
    static StatsReport report(
            int i,
            String agentId,
            long seq,
            long intervalStart,
            long intervalEnd,
            boolean last,
            Map<LatencyKind, String> producerHist,
            Map<LatencyKind, String> consumerHist) {
        boolean isProducer = i % 2 == 0;
        return new StatsReport(
                agentId,
                worker(i),
                isProducer ? AgentRole.PRODUCER : AgentRole.CONSUMER,
                Phase.MEASURE,
                seq,
                intervalStart,
                intervalEnd,
                isProducer ? 200 : 0,
                isProducer ? 204_800 : 0,
                0,
                Map.of(),
                isProducer ? 0 : 200,
                isProducer ? 0 : 204_800,
                0,
                20_000_000,
                50_000_000,
                isProducer ? producerHist : consumerHist,
                last,
                last ? AgentStop.SCHEDULE_END : null,
                null,
                0,
                0L,
                null,
                null);
    }

    private static String agentId(int i) {
        return worker(i) + "-" + (i % 2 == 0 ? "p" : "c") + i;
    }

    private static String worker(int i) {
        return "w" + (i % 10);
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    }

    /** Interval histograms shaped like a paced producer's (200 samples, 1–20 ms) or a consumer's. */
    static Map<LatencyKind, String> histograms(Random random, boolean producer) {
        Map<LatencyKind, String> out = new EnumMap<>(LatencyKind.class);
        List<LatencyKind> kinds = producer
                ? List.of(LatencyKind.PUBLISH_LATENCY, LatencyKind.PUBLISH_DELAY, LatencyKind.INTENDED_LATENCY)
                : List.of(LatencyKind.END_TO_END_LATENCY);
        for (LatencyKind kind : kinds) {
            Histogram h = HistogramCodec.newHistogram();
            for (int i = 0; i < 200; i++) {
                h.recordValue(1_000 + random.nextInt(19_000));
            }
            out.put(kind, HistogramCodec.encode(h));
        }
        return out;
    }

    private static long[] sample(Admin admin, String group, TopicPartition tp, long atMs) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                .partitionResult(tp)
                .get(10, TimeUnit.SECONDS)
                .offset();
        OffsetAndMetadata c = committed.get(tp);
        return new long[] {atMs, c == null ? 0 : c.offset(), end};
    }
}
