package io.kbench.bench;

import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.KeyDistributorType;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.PayloadSpec;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 1 (bench/producer-cost.sh): one unthrottled kbench producer agent JVM against Kafka's
 * ProducerPerformance JVM, identical client settings, same embedded broker, alternating A B A B… per record size.
 * Goals: throughput ratio agent / ProducerPerformance >= 1.0; agent RSS <= 160 MB.
 *
 * <p>Options: {@code --runs N} (pairs per size, default 3), {@code --seconds S} (default 10), {@code --sizes
 * 1024,100}, {@code --partitions P} (16), {@code --jvm-opt OPT} (for both JVMs; repeatable), {@code --jfr DIR}
 * (record the agent and ProducerPerformance of the last pair), client settings {@code --acks all
 * --linger-ms 5 --batch-size 65536 --compression none}.
 */
public final class ProducerCost {

    private record Side(double rate, double p50Ms, double p99Ms, double rssMb) {}

    private ProducerCost() {}

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        int runs = a.intOpt("--runs", 3);
        int seconds = a.intOpt("--seconds", 10);
        int partitions = a.intOpt("--partitions", 16);
        List<Integer> sizes = a.intList("--sizes", List.of(1024, 100));
        List<String> jvmOptions = a.all("--jvm-opt");
        String jfrDir = a.opt("--jfr", null);
        Map<String, String> client = new LinkedHashMap<>();
        client.put("acks", a.opt("--acks", "all"));
        client.put("linger.ms", a.opt("--linger-ms", "5"));
        client.put("batch.size", a.opt("--batch-size", "65536"));
        client.put("compression.type", a.opt("--compression", "none"));

        System.out.println(Bench.header("producer-cost: kbench agent vs ProducerPerformance"));
        Bench.println(
                "client settings (both): %s; %d s per run; %d partitions; JVM options (both): %s",
                client,
                seconds,
                partitions,
                jvmOptions.isEmpty() ? "none (JVM defaults, as a daemon starts agents)" : jvmOptions);
        Path logs = Files.createTempDirectory("kbench-bench-cost-");
        MessageCodec codec = new MessageCodec();
        boolean allMet = true;
        try (BenchBroker broker = new BenchBroker();
                StatsCollector stats =
                        new StatsCollector(broker.bootstrap(), broker.topics().metrics(), codec)) {
            for (int size : sizes) {
                List<Side> agent = new ArrayList<>();
                List<Side> perf = new ArrayList<>();
                Bench.println("-- %d B records --", size);
                for (int i = 0; i < runs; i++) {
                    boolean profile = jfrDir != null && i == runs - 1;
                    List<String> agentOpts = withJfr(jvmOptions, profile, jfrDir, "agent-" + size);
                    String topicA = "cost-" + size + "-a" + i;
                    broker.createTopic(topicA, partitions);
                    Side sa = runAgent(broker, stats, codec, topicA, size, seconds, client, agentOpts, logs, i);
                    broker.deleteAndWait(List.of(topicA));
                    agent.add(sa);
                    Bench.println(
                            "A%d agent               %,10.0f msg/s  %6.1f MB/s  p50 %6.1f ms  p99 %6.1f ms  RSS %5.0f MB",
                            i + 1, sa.rate, sa.rate * size / 1e6, sa.p50Ms, sa.p99Ms, sa.rssMb);

                    String topicB = "cost-" + size + "-b" + i;
                    broker.createTopic(topicB, partitions);
                    long records = Math.max(10_000, Math.round(sa.rate * seconds));
                    List<String> ppOpts = withJfr(jvmOptions, profile, jfrDir, "pp-" + size);
                    ProducerPerf.Result r = ProducerPerf.start(
                                    broker.bootstrap(), topicB, records, size, -1, client, ppOpts)
                            .await(Duration.ofSeconds(seconds * 6L + 60));
                    broker.deleteAndWait(List.of(topicB));
                    Side sb = new Side(r.recordsPerSec(), r.p50Ms(), r.p99Ms(), r.peakRssMb());
                    perf.add(sb);
                    Bench.println(
                            "B%d ProducerPerformance %,10.0f msg/s  %6.1f MB/s  p50 %6.1f ms  p99 %6.1f ms  RSS %5.0f MB"
                                    + "  (%,d records)",
                            i + 1, sb.rate, sb.rate * size / 1e6, sb.p50Ms, sb.p99Ms, sb.rssMb, records);
                }
                double ratio = mean(agent, Side::rate) / mean(perf, Side::rate);
                double minRatio = Double.MAX_VALUE;
                for (int i = 0; i < runs; i++) {
                    minRatio = Math.min(minRatio, agent.get(i).rate / perf.get(i).rate);
                }
                double rss = agent.stream().mapToDouble(Side::rssMb).max().orElse(Double.NaN);
                Bench.println(
                        "%d B: throughput ratio agent/ProducerPerformance = %.3f (mean of %d pairs; worst pair %.3f);"
                                + " p50 %.1f vs %.1f ms, p99 %.1f vs %.1f ms (means); agent peak RSS %.0f MB",
                        size,
                        ratio,
                        runs,
                        minRatio,
                        mean(agent, Side::p50Ms),
                        mean(perf, Side::p50Ms),
                        mean(agent, Side::p99Ms),
                        mean(perf, Side::p99Ms),
                        rss);
                boolean met = ratio >= 1.0 && rss <= 160;
                allMet &= met;
                System.out.println(Bench.verdict(
                        met,
                        Bench.f(
                                "%d B ratio %.3f (goal >= 1.0), agent RSS %.0f MB (goal <= 160 MB)",
                                size, ratio, rss)));
            }
        }
        System.out.println("agent logs: " + logs);
        System.exit(allMet ? 0 : 1);
    }

    private static Side runAgent(
            BenchBroker broker,
            StatsCollector stats,
            MessageCodec codec,
            String topic,
            int size,
            int seconds,
            Map<String, String> client,
            List<String> jvmOptions,
            Path logs,
            int index)
            throws Exception {
        String runId = "cost-" + size + "-" + index + "-" + System.currentTimeMillis();
        AgentTask task = new ProducerTask(
                "p0",
                broker.bootstrap(),
                client,
                topic,
                0, // unthrottled
                1,
                size,
                PayloadSpec.RANDOM,
                KeyDistributorType.NO_KEY,
                1000);
        long now = System.currentTimeMillis();
        try (AgentJvm agent = AgentJvm.start(jvmOptions, logs.resolve(runId + ".err"), codec)) {
            agent.send(
                    runId,
                    new AgentLaunch(
                            runId,
                            "bench",
                            List.of(task),
                            broker.bootstrap(),
                            Map.of(),
                            broker.topics().prefix(),
                            now + Duration.ofMinutes(5).toMillis()));
            agent.awaitReady(1, Duration.ofSeconds(60));
            long startAt = System.currentTimeMillis() + 500;
            long measureMs = seconds * 1000L;
            agent.send(runId, new StartRun(startAt, 0, measureMs, startAt + measureMs + 30_000));
            List<StatsReport> reports = stats.awaitLast(runId, List.of("p0"), Duration.ofSeconds(seconds + 60L));
            int exit = agent.awaitExit(Duration.ofSeconds(20));
            if (exit != 0) {
                throw new IllegalStateException("agent exited " + exit + ": " + agent.failures());
            }
            long sent = reports.stream().mapToLong(StatsReport::messagesSent).sum();
            long errors = reports.stream().mapToLong(StatsReport::sendErrors).sum();
            if (errors > 0) {
                throw new IllegalStateException("agent had " + errors + " send errors");
            }
            long endMs = reports.stream()
                    .filter(r -> r.messagesSent() > 0)
                    .mapToLong(StatsReport::intervalEndMs)
                    .max()
                    .orElseThrow(() -> new IllegalStateException("agent sent nothing"));
            LatencyStats publish = StatsCollector.merged(reports, LatencyKind.PUBLISH_LATENCY);
            return new Side(
                    sent * 1000.0 / (endMs - startAt), publish.p50() / 1000, publish.p99() / 1000, agent.peakRssMb());
        }
    }

    private static List<String> withJfr(List<String> options, boolean profile, String dir, String name) {
        if (!profile) {
            return options;
        }
        List<String> out = new ArrayList<>(options);
        out.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                + Path.of(dir, name + ".jfr").toAbsolutePath());
        return out;
    }

    private static double mean(List<Side> sides, java.util.function.ToDoubleFunction<Side> f) {
        return sides.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
