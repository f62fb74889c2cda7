package io.kbench.agent.bench;

import io.kbench.agent.testkit.AgentProcess;
import io.kbench.agent.testkit.MetricsReader;
import io.kbench.agent.testkit.Topics;
import io.kbench.broker.EmbeddedKafkaBroker;
import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.KeyDistributorType;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.topic.KbenchTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * On-demand benchmark, not a test: one unthrottled producer agent against Kafka's own {@code ProducerPerformance}
 * ({@code kafka-producer-perf-test}) on the same embedded broker, with identical (default) client settings and
 * JVM options, alternating, for 1 KB and 100 B records. Prints the throughput ratio agent / ProducerPerformance
 * (goal ≥ 1.0), each one's p50/p99, and each JVM's peak RSS (agent goal ≤ 160 MB). See the module README to run it.
 *
 * <p>Arguments (optional): {@code [measureSeconds=10] [rounds=2] ["JVM options for both JVMs"]}, e.g. {@code 10 2
 * "-Xmx128m -XX:+UseSerialGC"}; without them both JVMs run with the JVM's defaults.
 */
public final class ProducerBench {

    private static final String PREFIX = "bench";
    private static final String TOPIC = "bench-load";
    private static final long WARMUP_MS = 3_000;
    private static final Pattern STEADY = Pattern.compile("(\\d+) steady state records sent, ([\\d.]+) records/sec"
            + " \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th,"
            + " (\\d+) ms 95th, (\\d+) ms 99th");

    private ProducerBench() {}

    record Result(double recordsPerSec, double p50Ms, double p99Ms, long peakRssMb) {}

    public static void main(String[] args) throws Exception {
        long measureMs = (args.length > 0 ? Long.parseLong(args[0]) : 10) * 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<String> jvmOptions =
                args.length > 2 && !args[2].isBlank() ? List.of(args[2].trim().split("\\s+")) : List.of();
        System.out.println("JVM options of both JVMs: " + (jvmOptions.isEmpty() ? "(defaults)" : jvmOptions));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .property("log.retention.check.interval.ms", "5000")
                .build()
                .start()) {
            String bootstrap = broker.bootstrapServers();
            Topics.create(bootstrap, TOPIC + ":3", new KbenchTopics(PREFIX).metrics() + ":1");
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                // Keep the disk small: each run writes gigabytes.
                var resource = new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, TOPIC);
                admin.incrementalAlterConfigs(Map.of(
                                resource,
                                List.of(
                                        op("retention.ms", "5000"),
                                        op("segment.bytes", Integer.toString(64 * 1024 * 1024)))))
                        .all()
                        .get();
            }
            System.out.printf(
                    "%-6s %-5s %12s %12s %8s %8s %8s %8s %6s %8s %8s%n",
                    "size",
                    "round",
                    "agent msg/s",
                    "perf msg/s",
                    "ratio",
                    "agt p50",
                    "agt p99",
                    "prf p50",
                    "prf p99",
                    "agt RSS",
                    "prf RSS");
            for (int size : new int[] {1024, 100}) {
                for (int round = 1; round <= rounds; round++) {
                    Result agent = runAgent(bootstrap, size, measureMs, "bench-" + size + "-" + round, jvmOptions);
                    Result perf = runProducerPerformance(bootstrap, size, measureMs, agent.recordsPerSec(), jvmOptions);
                    System.out.printf(
                            "%-6d %-5d %12.0f %12.0f %8.3f %8.1f %8.1f %8.1f %6.1f %6d MB %6d MB%n",
                            size,
                            round,
                            agent.recordsPerSec(),
                            perf.recordsPerSec(),
                            agent.recordsPerSec() / perf.recordsPerSec(),
                            agent.p50Ms(),
                            agent.p99Ms(),
                            perf.p50Ms(),
                            perf.p99Ms(),
                            agent.peakRssMb(),
                            perf.peakRssMb());
                }
            }
        }
    }

    private static org.apache.kafka.clients.admin.AlterConfigOp op(String key, String value) {
        return new org.apache.kafka.clients.admin.AlterConfigOp(
                new org.apache.kafka.clients.admin.ConfigEntry(key, value),
                org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
    }

    private static Result runAgent(String bootstrap, int size, long measureMs, String runId, List<String> jvmOptions)
            throws Exception {
        AgentTask task =
                new ProducerTask("p0", bootstrap, Map.of(), TOPIC, -1, 1, size, null, KeyDistributorType.NO_KEY, 1000);
        AgentLaunch launch = new AgentLaunch(
                runId,
                "bench",
                List.of(task),
                bootstrap,
                Map.of(),
                PREFIX,
                System.currentTimeMillis() + 120_000,
                null,
                0);
        try (AgentProcess agent =
                        AgentProcess.start(jvmOptions, io.kbench.protocol.AgentIo.AGENT_MAIN_CLASS, List.of());
                MetricsReader reader = new MetricsReader(bootstrap, new KbenchTopics(PREFIX).metrics(), runId)) {
            RssSampler rss = RssSampler.start(agent.pid());
            agent.send(runId, launch);
            agent.awaitReady(1, Duration.ofSeconds(30));
            agent.send(runId, new StartRun(System.currentTimeMillis() + 300, WARMUP_MS, measureMs, 0));
            agent.awaitExit(Duration.ofMillis(WARMUP_MS + measureMs + 30_000));
            rss.stop();
            List<StatsReport> measured =
                    reader.readUntil(MetricsReader.lastReportsFrom("p0"), Duration.ofSeconds(20)).stream()
                            .filter(r -> r.phase() == Phase.MEASURE)
                            .toList();
            Histogram latency = HistogramCodec.newHistogram();
            measured.forEach(
                    r -> latency.add(HistogramCodec.decode(r.histograms().get(LatencyKind.PUBLISH_LATENCY))));
            long sent = measured.stream().mapToLong(StatsReport::messagesSent).sum();
            return new Result(
                    sent * 1000.0 / measureMs,
                    latency.getValueAtPercentile(50) / 1000.0,
                    latency.getValueAtPercentile(99) / 1000.0,
                    rss.peakMb());
        }
    }

    private static Result runProducerPerformance(
            String bootstrap, int size, long measureMs, double expectedRate, List<String> jvmOptions) {
        long warmupRecords = (long) (expectedRate * WARMUP_MS / 1000);
        long records = warmupRecords + (long) (expectedRate * measureMs / 1000);
        try (AgentProcess perf = AgentProcess.start(
                List.of(),
                "org.apache.kafka.tools.ProducerPerformance",
                List.of(
                        "--topic",
                        TOPIC,
                        "--num-records",
                        Long.toString(records),
                        "--record-size",
                        Integer.toString(size),
                        "--throughput",
                        "-1",
                        "--warmup-records",
                        Long.toString(warmupRecords),
                        "--bootstrap-server",
                        bootstrap))) {
            RssSampler rss = RssSampler.start(perf.pid());
            perf.awaitExit(Duration.ofMillis(WARMUP_MS + measureMs * 5 + 60_000));
            rss.stop();
            for (String line : perf.strayStdout()) {
                Matcher m = STEADY.matcher(line);
                if (m.find()) {
                    return new Result(
                            Double.parseDouble(m.group(2)),
                            Double.parseDouble(m.group(6)),
                            Double.parseDouble(m.group(8)),
                            rss.peakMb());
                }
            }
            throw new IllegalStateException(
                    "no steady-state summary from ProducerPerformance: " + perf.strayStdout() + "\n" + perf.describe());
        }
    }

    /** Peak resident set size of a process, sampled from /proc every 200 ms. */
    private static final class RssSampler {
        private final AtomicLong peakKb = new AtomicLong();
        private volatile boolean stopped;

        static RssSampler start(long pid) {
            RssSampler sampler = new RssSampler();
            Thread thread = new Thread(() -> sampler.sample(Path.of("/proc", Long.toString(pid), "status")), "rss");
            thread.setDaemon(true);
            thread.start();
            return sampler;
        }

        private void sample(Path status) {
            while (!stopped) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmRSS:")) {
                            long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                            peakKb.accumulateAndGet(kb, Math::max);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    return; // the process ended
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            }
        }

        void stop() {
            stopped = true;
        }

        long peakMb() {
            return peakKb.get() / 1024;
        }
    }
}
