package io.kbench.bench;

import io.kbench.controller.mode.C2AfterWarmup;
import io.kbench.controller.run.RunOutcome;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 3 (bench/scaling.sh): the scalability table — 1, 5, 10 producers, 4 consumers, 16
 * partitions, 1 KB — at (a) 2,000 and (b) 10,000 msg/s per producer, with one JVM per agent and with every agent
 * packed in one JVM. Prints throughput, p99 publish and end-to-end latency, host CPU and the three efficiency
 * figures next to the expected table. For (b) the same number of ProducerPerformance JVMs (each
 * {@code --throughput 10000}) run on the same broker in the same run, as a reference for total throughput.
 *
 * <p>Options: {@code --quick} (measurement 8 s, warm-up 2 s instead of 15 s and 30 s; or {@code --seconds S}, {@code --warmup S}), {@code --counts 1,5,10},
 * {@code --rates 2000,10000}, {@code --packings 1,all}, {@code --no-reference}.
 */
public final class Scaling {

    /** One measured point. */
    record Point(
            int producers, double throughput, double p99PublishMs, double p99E2eMs, double hostCpu, String status) {}

    /** The expected table (10,000 msg/s per producer): producers → throughput, p99 ms, CPU %. */
    private static final Map<Integer, double[]> SEED = Map.of(
            1, new double[] {9_900, 12, 15},
            5, new double[] {49_500, 14, 70},
            10, new double[] {99_000, 16, 95});

    private Scaling() {}

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        boolean quick = a.flag("--quick");
        // Full mode warms up for 30 s: n + 4 new JVMs on 2 cores are still compiling their hot paths after 5 s,
        // and a producer that fell behind then catches up inside the measurement (efficiency over 100 %, p99 up).
        int seconds = a.intOpt("--seconds", quick ? 8 : 15);
        int warmup = a.intOpt("--warmup", quick ? 2 : 30);
        List<Integer> counts = a.intList("--counts", List.of(1, 5, 10));
        List<Integer> rates = a.intList("--rates", List.of(2_000, 10_000));
        List<String> packings = List.of(a.opt("--packings", "1,all").split(","));
        boolean reference = !a.flag("--no-reference");
        List<String> agentJvmOptions = a.all("--agent-jvm-opt");
        C2AfterWarmup c2 = C2AfterWarmup.parse(a.opt("--agent-c2", "auto"));
        int consumers = 4;

        System.out.println(
                Bench.header("scaling: the scalability table (1/5/10 producers, 4 consumers, 16 partitions, 1 KB)"));
        Bench.println(
                "%s mode: warm-up %d s, measurement %d s per point; driver kafka-digital-twin (acks=all, lz4, batch 64 KB,"
                        + " linger 5 ms); broker, aggregator and worker daemon in this JVM; host CPU from /proc/stat"
                        + " over the measurement (100 %% = all %d cores); --agent-c2-after-warmup=%s%s",
                quick ? "quick" : "full",
                warmup,
                seconds,
                Bench.cores(),
                c2.name().toLowerCase(java.util.Locale.ROOT),
                agentJvmOptions.isEmpty() ? "" : "; agent JVM options added: " + agentJvmOptions);
        Path out = Files.createTempDirectory("kbench-bench-scaling-");
        boolean allMet = true;
        try (BenchFleet fleet = new BenchFleet(out.resolve("agents"));
                HostCpu cpu = new HostCpu()) {
            for (int rate : rates) {
                for (String packing : packings) {
                    List<Point> points = new ArrayList<>();
                    for (int n : counts) {
                        int perJvm = packing.equals("all") ? n + consumers : Integer.parseInt(packing);
                        String name = Bench.f("scaling-%dp-%d-jvm%s", n, rate, packing);
                        RunOutcome outcome = fleet.run(
                                BenchFleet.workload(name, 16, n, consumers, rate, perJvm, warmup, seconds),
                                out,
                                Progress.quiet(),
                                agentJvmOptions,
                                c2);
                        RunSummary s = outcome.summary();
                        LatencyStats pub = s.latencies().getOrDefault(LatencyKind.PUBLISH_LATENCY, LatencyStats.EMPTY);
                        LatencyStats e2e =
                                s.latencies().getOrDefault(LatencyKind.END_TO_END_LATENCY, LatencyStats.EMPTY);
                        Point p = new Point(
                                n,
                                s.rates().publishRate(),
                                pub.p99() / 1000,
                                e2e.p99() / 1000,
                                cpu.percent(s.measureStart(), s.measureEnd()),
                                outcome.status().name());
                        points.add(p);
                        Bench.println(
                                "  point %-26s %s: %,9.0f msg/s (target %,d), consumed %,9.0f msg/s, p99 pub %6.1f ms,"
                                        + " p99 e2e %7.1f ms, host CPU %5.1f %%, agents' CPU %5.1f %% of a core",
                                name,
                                p.status,
                                p.throughput,
                                rate * n,
                                s.rates().consumeRate(),
                                p.p99PublishMs,
                                p.p99E2eMs,
                                p.hostCpu,
                                s.cpuPercent());
                        s.notes().forEach(note -> Bench.println("    note: %s", note));
                    }
                    allMet &= table(rate, packing, points, consumers);
                    if (reference && rate == 10_000 && packing.equals(packings.get(0))) {
                        referenceRows(fleet, cpu, counts, rate, seconds + warmup);
                    }
                }
            }
        }
        System.out.println("results and agent logs: " + out);
        System.exit(allMet ? 0 : 1);
    }

    /** Prints one series with its efficiency figures; returns whether throughput kept up within 1 %. */
    private static boolean table(int rate, String packing, List<Point> points, int consumers) {
        Bench.println(
                "-- %,d msg/s per producer, agentsPerJvm %s --",
                rate, packing.equals("all") ? "all (one JVM for n+" + consumers + " agents)" : packing);
        Bench.println(
                "  %-9s %12s %9s %9s %8s | %9s %9s %11s | expected (10k/producer): %s",
                "producers",
                "msg/s",
                "p99 pub",
                "p99 e2e",
                "host CPU",
                "tput eff",
                "p99 grow",
                "msg/s/1%CPU",
                "msg/s, p99, CPU");
        Point base = points.get(0);
        boolean met = true;
        for (Point p : points) {
            double eff = (p.throughput / base.throughput) / ((double) p.producers / base.producers);
            double growth = (p.p99PublishMs - base.p99PublishMs) / base.p99PublishMs;
            double perCpu = p.throughput / p.hostCpu;
            double[] seed = SEED.get(p.producers);
            Bench.println(
                    "  %-9d %12s %6.1f ms %6.1f ms %7.1f%% | %8.1f%% %8.1f%% %11.0f | %s",
                    p.producers,
                    Bench.f("%,.0f", p.throughput),
                    p.p99PublishMs,
                    p.p99E2eMs,
                    p.hostCpu,
                    eff * 100,
                    growth * 100,
                    perCpu,
                    seed == null ? "-" : Bench.f("~%,.0f, ~%.0f ms, %.0f %%", seed[0], seed[1], seed[2]));
            met &= p.status.equals("COMPLETE") && p.throughput >= 0.99 * rate * p.producers;
        }
        System.out.println(Bench.verdict(
                met,
                Bench.f(
                        "%,d msg/s per producer, agentsPerJvm %s: every point within 1 %% of its target rate"
                                + " (expected: efficiency ~99 %%)",
                        rate, packing)));
        return met;
    }

    /** n ProducerPerformance JVMs at {@code rate} each, on one 16-partition topic, side by side in this run. */
    private static void referenceRows(BenchFleet fleet, HostCpu cpu, List<Integer> counts, int rate, int seconds)
            throws InterruptedException {
        Bench.println(
                "-- reference: n ProducerPerformance JVMs, --throughput %,d each, no consumers, %d s --",
                rate, seconds);
        Map<String, String> props = Map.of(
                "acks", "all",
                "enable.idempotence", "true",
                "max.in.flight.requests.per.connection", "5",
                "batch.size", "65536",
                "linger.ms", "5",
                "compression.type", "lz4",
                "buffer.memory", "67108864");
        for (int n : counts) {
            String topic = "scaling-ref-" + n + "-" + System.currentTimeMillis();
            fleet.broker().createTopic(topic, 16);
            List<ProducerPerf.Running> running = new ArrayList<>();
            long from = System.currentTimeMillis();
            for (int i = 0; i < n; i++) {
                running.add(ProducerPerf.start(
                        fleet.broker().bootstrap(), topic, (long) rate * seconds, 1024, rate, props, List.of()));
            }
            double total = 0;
            double p99 = 0;
            for (ProducerPerf.Running r : running) {
                ProducerPerf.Result result = r.await(Duration.ofSeconds(seconds * 4L + 60));
                total += result.recordsPerSec();
                p99 = Math.max(p99, result.p99Ms());
            }
            long to = System.currentTimeMillis();
            fleet.broker().deleteAndWait(List.of(topic));
            Bench.println(
                    "  %2d x ProducerPerformance: total %,9.0f msg/s (target %,d), worst p99 %5.0f ms, host CPU %5.1f %%"
                            + " (whole run incl. JVM start)",
                    n, total, rate * n, p99, cpu.percent(from, to));
        }
    }
}
