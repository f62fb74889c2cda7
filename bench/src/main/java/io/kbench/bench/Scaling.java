package io.kbench.bench;

import io.kbench.agent.run.C2Stop;
import io.kbench.controller.mode.C2AfterWarmup;
import io.kbench.controller.run.RunOutcome;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 3 (bench/scaling.sh): the scalability table — 1, 5, 10 producers, 4 consumers, 16
 * partitions, 1 KB — at (a) 2,000 and (b) 10,000 msg/s per producer, with one JVM per agent and with every agent
 * packed in one JVM. Prints throughput, p99 publish and end-to-end latency, host CPU and the three efficiency
 * figures next to the expected table. After each rate's first packing, Kafka's own tools take the agents' place
 * on the same broker in the same run, one JVM per client (n ProducerPerformance JVMs at the same rate each, 4
 * ConsumerPerformance JVMs in one group; {@link #toolRows}): what the same load costs the host with Kafka's clients
 * alone, beside the agents' CPU at the same point.
 *
 * <p>Options: {@code --quick} (measurement 8 s, warm-up 2 s instead of 15 s and 30 s; or {@code --seconds S}, {@code --warmup S}), {@code --counts 1,5,10},
 * {@code --rates 2000,10000}, {@code --packings 1,all}, {@code --no-reference}.
 */
public final class Scaling {

    /** One measured point. */
    record Point(
            int producers,
            double throughput,
            double p99PublishMs,
            double p99E2eMs,
            double hostCpu,
            double agentsCpu,
            double agentProducersCpu,
            double agentConsumersCpu,
            boolean c2Stopped,
            String status) {

        /** "producer JVMs P %, consumer JVMs C %; " when both are known (agents one role per JVM), else "". */
        String byRole() {
            return Double.isNaN(agentProducersCpu + agentConsumersCpu)
                    ? ""
                    : Bench.f("producer JVMs %.1f %%, consumer JVMs %.1f %%; ", agentProducersCpu, agentConsumersCpu);
        }
    }

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
                        Workload workload = BenchFleet.workload(name, 16, n, consumers, rate, perJvm, warmup, seconds);
                        RunOutcome outcome;
                        Map<String, Double> byRole;
                        try (JvmCpuSampler agentCpu = JvmCpuSampler.agents()) {
                            outcome = fleet.run(workload, out, Progress.quiet(), agentJvmOptions, c2);
                            agentCpu.awaitSampleAfter(outcome.summary().measureEnd());
                            byRole = agentCpu.percent(
                                    outcome.summary().measureStart(),
                                    outcome.summary().measureEnd());
                        }
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
                                s.cpuPercent(),
                                byRole.getOrDefault(JvmCpuSampler.PRODUCER, Double.NaN),
                                byRole.getOrDefault(JvmCpuSampler.CONSUMER, Double.NaN),
                                c2.decide(workload, warmup * 1000L).stops(),
                                outcome.status().name());
                        points.add(p);
                        Bench.println(
                                "  point %-26s %s: %,9.0f msg/s (target %,d), consumed %,9.0f msg/s, p99 pub %6.1f ms,"
                                        + " p99 e2e %7.1f ms, host CPU %5.1f %%, agents' CPU %5.1f %% of a core%s",
                                name,
                                p.status,
                                p.throughput,
                                rate * n,
                                s.rates().consumeRate(),
                                p.p99PublishMs,
                                p.p99E2eMs,
                                p.hostCpu,
                                p.agentsCpu,
                                p.byRole().isEmpty() ? "" : " (" + p.byRole() + "from /proc)");
                        s.notes().forEach(note -> Bench.println("    note: %s", note));
                    }
                    allMet &= table(rate, packing, points, consumers);
                    if (reference && packing.equals(packings.get(0))) {
                        toolRows(
                                fleet,
                                cpu,
                                out,
                                new ToolRun(rate, consumers, warmup, seconds),
                                agentJvmOptions,
                                points);
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

    /** One reference series: its rate per producer, consumers, warm-up and measurement (s). */
    record ToolRun(int rate, int consumers, int warmup, int seconds) {

        /** How long a tool producer sends: the warm-up, the measurement and {@link #TOOL_SLACK_S} for a late start. */
        int sendSeconds() {
            return warmup + seconds + TOOL_SLACK_S;
        }

        /** The longest any tool JVM may take: its sending and a grace for start-up, draining and exit. */
        Duration limit() {
            return Duration.ofSeconds(sendSeconds() + 120L);
        }
    }

    /**
     * Kafka's own tools in the agents' place, one JVM per client, side by side in this run: for each count n, n
     * ProducerPerformance JVMs at {@code rate} each (one fixed 1 KB payload, as the agents send) and {@code
     * consumers} ConsumerPerformance JVMs in one group reading the topic live (with its own settings: it commits
     * automatically, where OMB's driver and the agents commit after every poll), every JVM with the agents' options,
     * the producers with the driver's settings, C2 stopped as the warm-up ends when the agents' was. CPU is taken over the same
     * window the agents' run measures (warm-up, then the measurement): the host's from /proc/stat, each JVM's from
     * /proc. Publish p99 is ProducerPerformance's own, over its whole run (it has no other).
     */
    private static void toolRows(
            BenchFleet fleet, HostCpu cpu, Path dir, ToolRun run, List<String> agentJvmOptions, List<Point> agents)
            throws Exception {
        List<String> jvmOptions = ProducerCost.daemonJvmOptions(agentJvmOptions);
        Bench.println(
                "-- reference: Kafka's own tools, one JVM per client: n ProducerPerformance JVMs at --throughput %,d"
                        + " each (one fixed 1 KB payload, the driver's producer settings) + %d ConsumerPerformance JVMs"
                        + " in one group (its own settings: auto commit), the agents' JVM options, C2 stopped as the"
                        + " warm-up ends where the agents' was;"
                        + " CPU over the same %d s after a %d s warm-up --",
                run.rate(), run.consumers(), run.seconds(), run.warmup());
        Bench.println(
                "  %-9s %12s %9s %8s %14s %14s %14s | %s",
                "producers",
                "msg/s",
                "p99 pub*",
                "host CPU",
                "producers' CPU",
                "consumers' CPU",
                "tools' CPU",
                "agents' CPU (same point)");
        Bench.println("  (* ProducerPerformance's own p99, over its whole run, warm-up included: it prints no other)");
        Path payload = ProducerCost.payloadFile(dir, 1024);
        Path directive = Files.writeString(dir.resolve("c2-stop.json"), C2Stop.DIRECTIVE);
        for (Point agent : agents) {
            int n = agent.producers();
            String topic = "scaling-tools-" + n + "-" + System.currentTimeMillis();
            fleet.broker().createTopic(topic, 16);
            List<Process> readers = new ArrayList<>();
            List<ProducerPerf.Running> writers = new ArrayList<>();
            try {
                for (int i = 0; i < run.consumers(); i++) {
                    readers.add(ConsumerPerf.startLive(
                            fleet.broker().bootstrap(), topic, topic + "-readers", run.limit(), jvmOptions));
                }
                long startMs = System.currentTimeMillis();
                for (int i = 0; i < n; i++) {
                    writers.add(ProducerPerf.startWithPayload(
                            fleet.broker().bootstrap(),
                            topic,
                            (long) run.rate() * run.sendSeconds(),
                            payload,
                            run.rate(),
                            DRIVER,
                            jvmOptions));
                }
                Map<Long, String> roles = new HashMap<>();
                writers.forEach(w -> roles.put(w.pid(), JvmCpuSampler.PRODUCER));
                readers.forEach(r -> roles.put(r.pid(), JvmCpuSampler.CONSUMER));
                long fromMs = startMs + run.warmup() * 1000L;
                Map<String, Double> byRole;
                long toMs;
                try (JvmCpuSampler sampler = JvmCpuSampler.of(roles)) {
                    if (agent.c2Stopped()) {
                        Bench.sleepUntil(C2Stop.stopAt(startMs, fromMs));
                        stopC2(roles.keySet(), directive);
                        fromMs = Math.max(fromMs, System.currentTimeMillis());
                    }
                    toMs = fromMs + run.seconds() * 1000L;
                    Bench.sleepUntil(toMs);
                    sampler.awaitSampleAfter(toMs);
                    byRole = sampler.percent(fromMs, toMs);
                }
                double writersCpu = byRole.getOrDefault(JvmCpuSampler.PRODUCER, Double.NaN);
                double readersCpu = byRole.getOrDefault(JvmCpuSampler.CONSUMER, Double.NaN);
                double total = 0;
                double p99 = 0;
                for (ProducerPerf.Running w : writers) {
                    ProducerPerf.Result result = w.await(run.limit());
                    total += result.recordsPerSec();
                    p99 = Math.max(p99, result.p99Ms());
                }
                Bench.println(
                        "  %-9d %12s %6.0f ms %7.1f%% %13.1f%% %13.1f%% %13.1f%% | %.1f%% (%sp99 pub %.1f ms)",
                        n,
                        Bench.f("%,.0f", total),
                        p99,
                        cpu.percent(fromMs, toMs),
                        writersCpu,
                        readersCpu,
                        writersCpu + readersCpu,
                        agent.agentsCpu(),
                        agent.byRole(),
                        agent.p99PublishMs());
            } finally {
                readers.forEach(Process::destroy);
                for (Process r : readers) {
                    r.waitFor(10, TimeUnit.SECONDS);
                }
                writers.forEach(ProducerPerf.Running::destroy);
                fleet.broker().deleteAndWait(List.of(topic));
            }
        }
    }

    /** Seconds of records each tool producer has beyond the warm-up and the measurement. */
    private static final int TOOL_SLACK_S = 10;

    /** The kafka-digital-twin driver's producer settings (configs/kafka-digital-twin.yaml), given to the tools. */
    private static final Map<String, String> DRIVER = Map.of(
            "acks", "all",
            "enable.idempotence", "true",
            "max.in.flight.requests.per.connection", "5",
            "batch.size", "65536",
            "linger.ms", "5",
            "compression.type", "lz4",
            "buffer.memory", "67108864");

    /**
     * {@code jcmd PID Compiler.directives_add FILE} for every JVM at once (what an agent does to itself with {@link
     * C2Stop}); a JVM where it did not succeed is named and keeps C2.
     */
    private static void stopC2(Iterable<Long> pids, Path directive) throws IOException, InterruptedException {
        Path jcmd = Bench.jcmd();
        Map<Long, Process> running = new HashMap<>();
        for (long pid : pids) {
            running.put(
                    pid,
                    new ProcessBuilder(
                                    jcmd.toString(),
                                    Long.toString(pid),
                                    "Compiler.directives_add",
                                    directive.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start());
        }
        for (Map.Entry<Long, Process> e : running.entrySet()) {
            Process p = e.getValue();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                Bench.println(
                        "    note: jcmd %d Compiler.directives_add did not succeed; that JVM keeps C2", e.getKey());
            }
        }
    }
}
