package io.kbench.bench;

import io.kbench.agent.run.HeapHeadroom;
import io.kbench.controller.run.RunCoordinator;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.ConsumerTask;
import io.kbench.protocol.message.KeyDistributorType;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.PayloadSpec;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.worker.supervise.AgentCommandLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Benchmark 1 (bench/producer-cost.sh): per-message cost of kbench's agents against Kafka's own clients, per record
 * size, on one embedded broker, in pairs whose order alternates (the agent first in pairs 1, 3, 5, ProducerPerformance
 * in pairs 2 and 4):
 *
 * <ul>
 *   <li>an unthrottled producer agent JVM against ProducerPerformance, both sending the same fixed payload (the
 *       agent from its payload file, ProducerPerformance with {@code --payload-file}), the same client settings,
 *       the same JVM options (a worker daemon's defaults for agents, plus {@code --jvm-opt}; ProducerPerformance also
 *       the heap free ratios the unthrottled agent sets in its JVM at run time): throughput, CPU per
 *       message (each JVM's whole CPU time over the records it sent), bytes on the wire per record (the topic's
 *       log segment bytes over its records);
 *   <li>a consumer agent JVM against ConsumerPerformance, each reading everything the producer agent just wrote
 *       (stamped records) in a new group with ConsumerPerformance's client settings: CPU per consumed message.
 * </ul>
 *
 * Goals: throughput ratio agent / ProducerPerformance >= 1.0 and CPU per message ratio <= 1.0 (medians of the
 * pairs; the range is printed), the same wire bytes per record, consumer CPU per message ratio <= 1.0.
 *
 * <p>Options: {@code --runs N} (pairs per size, default 5), {@code --seconds S} (10), {@code --sizes 1024,100},
 * {@code --partitions P} (16), {@code --jvm-opt OPT} (added for every JVM; repeatable), {@code --jfr DIR} (record
 * every JVM of the last pair), {@code --agent-classes DIR} (put a class directory of another agent build first on
 * the agents' class path, to measure a before/after in one session), {@code --no-consumers}, client settings
 * {@code --acks all --linger-ms 5 --batch-size 65536 --compression none}.
 */
public final class ProducerCost {

    /** One producer JVM's run: rate, publish latency, peak RSS, records acknowledged, CPU, wire bytes per record. */
    private record Produced(
            double rate,
            double p50Ms,
            double p99Ms,
            double rssMb,
            long records,
            double cpuSeconds,
            double loadCpuSeconds,
            double wireBytes) {
        double cpuMicrosPerMessage() {
            return cpuSeconds * 1e6 / records;
        }

        /** The share of the JVM's CPU spent before the topic's first byte: start-up and connecting. */
        double startUpShare() {
            return 1 - loadCpuSeconds / cpuSeconds;
        }

        /** CPU from the topic's first byte on the broker to exit: without JVM start-up and connecting. */
        double loadCpuMicrosPerMessage() {
            return loadCpuSeconds * 1e6 / records;
        }
    }

    /**
     * Notes a child JVM's CPU time when its topic gets its first bytes on the broker: from then on it is loading, so
     * CPU after that point is per-message cost without start-up, measured the same way for both producers.
     */
    private static final class LoadStart {
        private volatile double cpuAtFirstByte = Double.NaN;

        static LoadStart watch(BenchBroker broker, String topic, long pid) {
            return watch(() -> logBytes(broker, topic) > 0, pid);
        }

        /** For a consumer: its load starts when its group is stable, partitions assigned (it fetches next). */
        static LoadStart watchGroup(BenchBroker broker, String group, long pid) {
            return watch(() -> broker.groupStable(group), pid);
        }

        private static LoadStart watch(java.util.function.BooleanSupplier loading, long pid) {
            LoadStart start = new LoadStart();
            Thread t = new Thread(
                    () -> {
                        while (ChildCpu.secondsOf(pid) >= 0) { // NaN once the process is gone
                            if (loading.getAsBoolean()) {
                                start.cpuAtFirstByte = ChildCpu.secondsOf(pid);
                                return;
                            }
                            try {
                                Thread.sleep(10); // polling the broker: there is no event to wait on
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "load-start-" + pid);
            t.setDaemon(true);
            t.start();
            return start;
        }

        double loadCpu(double totalCpu) {
            return totalCpu - cpuAtFirstByte;
        }
    }

    /** One consumer JVM's run: records read, read rate, CPU (whole JVM; from its group's first stable assignment). */
    private record Consumed(long records, double rate, double cpuSeconds, double loadCpuSeconds) {
        double cpuMicrosPerMessage() {
            return cpuSeconds * 1e6 / records;
        }

        double loadCpuMicrosPerMessage() {
            return loadCpuSeconds * 1e6 / records;
        }

        /** The share of the JVM's CPU spent before its group's assignment: start-up and joining. */
        double startUpShare() {
            return 1 - loadCpuSeconds / cpuSeconds;
        }
    }

    /**
     * The report interval of both agents: what the controller gives every agent of a real run, so the stats thread and
     * the metrics producer cost here what they cost in a run (until 2026-12-02 the consumer agent reported every
     * 200 ms, five times as often).
     */
    static final int STATS_INTERVAL_MS = RunCoordinator.STATS_INTERVAL_MS;

    private ProducerCost() {}

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        int runs = a.intOpt("--runs", 5);
        int seconds = a.intOpt("--seconds", 10);
        int partitions = a.intOpt("--partitions", 16);
        List<Integer> sizes = a.intList("--sizes", List.of(1024, 100));
        List<String> jvmOptions = daemonJvmOptions(a.all("--jvm-opt"));
        String jfrDir = a.opt("--jfr", null);
        String agentClassesOpt = a.opt("--agent-classes", null);
        Path agentClasses = agentClassesOpt == null ? null : Path.of(agentClassesOpt);
        boolean consumers = !a.flag("--no-consumers");
        Map<String, String> client = new LinkedHashMap<>();
        client.put("acks", a.opt("--acks", "all"));
        client.put("linger.ms", a.opt("--linger-ms", "5"));
        client.put("batch.size", a.opt("--batch-size", "65536"));
        client.put("compression.type", a.opt("--compression", "none"));

        System.out.println(Bench.header("producer-cost: kbench agents vs ProducerPerformance / ConsumerPerformance"));
        Bench.println(
                "producer settings (both): %s; consumer settings (both): %s; %d s per producer run; %d partitions;"
                        + " one fixed payload per size (both); JVM options (every JVM, a worker daemon's defaults"
                        + " for agents): %s; ProducerPerformance and ConsumerPerformance also %s (what an unthrottled"
                        + " producer agent and a consumer agent reading a backlog set at run time)%s",
                client,
                ConsumerPerf.SETTINGS,
                seconds,
                partitions,
                jvmOptions,
                HeapHeadroom.roomyJvmOptions(),
                agentClasses == null ? "" : "; agent classes first on the class path: " + agentClasses);
        Path logs = Files.createTempDirectory("kbench-bench-cost-");
        MessageCodec codec = new MessageCodec();
        boolean allMet = true;
        try (BenchBroker broker = new BenchBroker();
                StatsCollector stats =
                        new StatsCollector(broker.bootstrap(), broker.topics().metrics(), codec)) {
            for (int size : sizes) {
                Path payload = payloadFile(logs, size);
                List<Produced> agent = new ArrayList<>();
                List<Produced> perf = new ArrayList<>();
                List<Consumed> agentConsumer = new ArrayList<>();
                List<Consumed> perfConsumer = new ArrayList<>();
                Bench.println("-- %d B records --", size);
                for (int i = 0; i < runs; i++) {
                    boolean profile = jfrDir != null && i == runs - 1;
                    List<String> perfOptions = withJfr(roomy(jvmOptions), profile, jfrDir, "pp-" + size);
                    // Which producer runs first alternates from pair to pair (A B, B A, A B, ...), so that neither
                    // always meets the broker in the state the other left it in. ProducerPerformance sends the
                    // number of records the agent sent in its run (in a pair it opens: the previous pair's).
                    boolean perfFirst = i % 2 == 1;
                    if (perfFirst) {
                        perf.add(runPerf(
                                broker,
                                size,
                                i,
                                agent.get(i - 1).records,
                                payload,
                                client,
                                perfOptions,
                                partitions,
                                seconds));
                    }
                    String topicA = "cost-" + size + "-a" + i;
                    broker.createTopic(topicA, partitions);
                    Produced sa = runAgent(
                            broker,
                            stats,
                            codec,
                            topicA,
                            size,
                            payload,
                            seconds,
                            client,
                            withJfr(jvmOptions, profile, jfrDir, "agent-" + size),
                            agentClasses,
                            logs,
                            i);
                    agent.add(sa);
                    printProduced("A" + (i + 1) + " agent              ", sa, size);
                    if (consumers) {
                        // Both read what the agent just wrote; the order alternates from pair to pair.
                        for (int k = 0; k < 2; k++) {
                            if ((k == 0) == (i % 2 == 0)) {
                                Consumed c = runConsumerAgent(
                                        broker,
                                        stats,
                                        codec,
                                        topicA,
                                        sa.records,
                                        withJfr(jvmOptions, profile, jfrDir, "agent-consumer-" + size),
                                        agentClasses,
                                        logs,
                                        i);
                                agentConsumer.add(c);
                                printConsumed("C" + (i + 1) + " consumer agent     ", c);
                            } else {
                                String group = "cost-cp-" + size + "-" + i;
                                LoadStart[] loadStart = new LoadStart[1];
                                ConsumerPerf.Result r = ConsumerPerf.run(
                                        broker.bootstrap(),
                                        topicA,
                                        group,
                                        sa.records,
                                        withJfr(roomy(jvmOptions), profile, jfrDir, "cp-" + size),
                                        pid -> loadStart[0] = LoadStart.watchGroup(broker, group, pid));
                                Consumed c = new Consumed(
                                        r.records(),
                                        r.fetchRecordsPerSec(),
                                        r.cpuSeconds(),
                                        loadStart[0].loadCpu(r.cpuSeconds()));
                                perfConsumer.add(c);
                                printConsumed("D" + (i + 1) + " ConsumerPerformance", c);
                            }
                        }
                    }
                    broker.deleteAndWait(List.of(topicA));
                    if (!perfFirst) {
                        perf.add(runPerf(
                                broker, size, i, sa.records, payload, client, perfOptions, partitions, seconds));
                    }
                }
                allMet &= summarize(size, agent, perf, agentConsumer, perfConsumer);
            }
        }
        System.out.println("agent logs: " + logs);
        System.exit(allMet ? 0 : 1);
    }

    /** ProducerPerformance (B) sending {@code records} of the fixed payload to a new topic, deleted after it. */
    private static Produced runPerf(
            BenchBroker broker,
            int size,
            int i,
            long records,
            Path payload,
            Map<String, String> client,
            List<String> jvmOptions,
            int partitions,
            int seconds)
            throws Exception {
        String topicB = "cost-" + size + "-b" + i;
        broker.createTopic(topicB, partitions);
        ProducerPerf.Running running =
                ProducerPerf.startWithPayload(broker.bootstrap(), topicB, records, payload, 0, client, jvmOptions);
        LoadStart loadStart = LoadStart.watch(broker, topicB, running.pid());
        ProducerPerf.Result r = running.await(Duration.ofSeconds(seconds * 6L + 60));
        Produced sb = new Produced(
                r.recordsPerSec(),
                r.p50Ms(),
                r.p99Ms(),
                r.peakRssMb(),
                r.records(),
                running.cpuSeconds(),
                loadStart.loadCpu(running.cpuSeconds()),
                wireBytesPerRecord(broker, topicB, r.records()));
        broker.deleteAndWait(List.of(topicB));
        printProduced("B" + (i + 1) + " ProducerPerformance", sb, size);
        return sb;
    }

    private static boolean summarize(
            int size, List<Produced> agent, List<Produced> perf, List<Consumed> agentC, List<Consumed> perfC) {
        List<Double> rate = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> wholeCpu = new ArrayList<>();
        for (int i = 0; i < agent.size(); i++) {
            rate.add(agent.get(i).rate / perf.get(i).rate);
            cpu.add(agent.get(i).loadCpuMicrosPerMessage() / perf.get(i).loadCpuMicrosPerMessage());
            wholeCpu.add(agent.get(i).cpuMicrosPerMessage() / perf.get(i).cpuMicrosPerMessage());
        }
        double wireAgent = median(agent, Produced::wireBytes);
        double wirePerf = median(perf, Produced::wireBytes);
        Bench.println(
                "%d B producer: throughput agent/ProducerPerformance %s; CPU per message agent/ProducerPerformance"
                        + " from the first byte %s (%.2f vs %.2f µs, medians), whole JVM %s (%.2f vs %.2f µs); wire"
                        + " bytes per record %.1f vs %.1f (medians); p99 %.1f vs %.1f ms (medians); agent peak RSS"
                        + " %.0f MB; start-up (CPU before the first byte) %.0f %% vs %.0f %% of the whole JVM's"
                        + " (medians)",
                size,
                medianAndRange(rate),
                medianAndRange(cpu),
                median(agent, Produced::loadCpuMicrosPerMessage),
                median(perf, Produced::loadCpuMicrosPerMessage),
                medianAndRange(wholeCpu),
                median(agent, Produced::cpuMicrosPerMessage),
                median(perf, Produced::cpuMicrosPerMessage),
                wireAgent,
                wirePerf,
                median(agent, Produced::p99Ms),
                median(perf, Produced::p99Ms),
                agent.stream().mapToDouble(Produced::rssMb).max().orElse(Double.NaN),
                median(agent, Produced::startUpShare) * 100,
                median(perf, Produced::startUpShare) * 100);
        double rateMedian = median(rate);
        double cpuMedian = median(cpu);
        // Batches hold different numbers of records from run to run: allow their header's share to differ.
        boolean sameWire = Math.abs(wireAgent - wirePerf) <= 2.0;
        boolean met = rateMedian >= 1.0 && cpuMedian <= 1.0 && sameWire;
        System.out.println(Bench.verdict(
                met,
                Bench.f(
                        "%d B producer: throughput ratio %.3f (goal >= 1.0), CPU per message ratio %.3f (goal <= 1.0),"
                                + " wire bytes per record %.1f vs %.1f (goal: equal)",
                        size, rateMedian, cpuMedian, wireAgent, wirePerf)));
        if (agentC.isEmpty()) {
            return met;
        }
        List<Double> ccpu = new ArrayList<>();
        List<Double> cwhole = new ArrayList<>();
        for (int i = 0; i < agentC.size(); i++) {
            ccpu.add(agentC.get(i).loadCpuMicrosPerMessage() / perfC.get(i).loadCpuMicrosPerMessage());
            cwhole.add(agentC.get(i).cpuMicrosPerMessage() / perfC.get(i).cpuMicrosPerMessage());
        }
        Bench.println(
                "%d B consumer: CPU per message agent/ConsumerPerformance from the group's assignment %s (%.2f vs"
                        + " %.2f µs, medians), whole JVM %s (%.2f vs %.2f µs); read rate %,.0f vs %,.0f msg/s"
                        + " (medians; the agent's from its %d ms reports, coarse); start-up (CPU before the"
                        + " assignment) %.0f %% vs %.0f %% of the whole JVM's (medians)",
                size,
                medianAndRange(ccpu),
                median(agentC, Consumed::loadCpuMicrosPerMessage),
                median(perfC, Consumed::loadCpuMicrosPerMessage),
                medianAndRange(cwhole),
                median(agentC, Consumed::cpuMicrosPerMessage),
                median(perfC, Consumed::cpuMicrosPerMessage),
                median(agentC, Consumed::rate),
                median(perfC, Consumed::rate),
                STATS_INTERVAL_MS,
                median(agentC, Consumed::startUpShare) * 100,
                median(perfC, Consumed::startUpShare) * 100);
        boolean consumerMet = median(ccpu) <= 1.0;
        System.out.println(Bench.verdict(
                consumerMet, Bench.f("%d B consumer: CPU per message ratio %.3f (goal <= 1.0)", size, median(ccpu))));
        return met && consumerMet;
    }

    private static void printProduced(String who, Produced p, int size) {
        Bench.println(
                "%s %,10.0f msg/s %6.1f MB/s  p50 %6.1f ms  p99 %6.1f ms  RSS %4.0f MB  %,d records  CPU %5.1f s"
                        + " = %5.2f µs/msg (from the first byte %5.1f s = %5.2f µs/msg)  wire %6.1f B/record",
                who,
                p.rate,
                p.rate * size / 1e6,
                p.p50Ms,
                p.p99Ms,
                p.rssMb,
                p.records,
                p.cpuSeconds,
                p.cpuMicrosPerMessage(),
                p.loadCpuSeconds,
                p.loadCpuMicrosPerMessage(),
                p.wireBytes);
    }

    private static void printConsumed(String who, Consumed c) {
        Bench.println(
                "%s %,10.0f msg/s  %,d records  CPU %5.1f s = %5.2f µs/msg (from the assignment %5.1f s = %5.2f"
                        + " µs/msg)",
                who,
                c.rate,
                c.records,
                c.cpuSeconds,
                c.cpuMicrosPerMessage(),
                c.loadCpuSeconds,
                c.loadCpuMicrosPerMessage());
    }

    private static Produced runAgent(
            BenchBroker broker,
            StatsCollector stats,
            MessageCodec codec,
            String topic,
            int size,
            Path payload,
            int seconds,
            Map<String, String> client,
            List<String> jvmOptions,
            Path agentClasses,
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
                new PayloadSpec(payload.toAbsolutePath().toString(), false, 0, 0),
                KeyDistributorType.NO_KEY,
                STATS_INTERVAL_MS);
        try (AgentJvm agent = AgentJvm.start(jvmOptions, agentClasses, logs.resolve(runId + ".err"), codec)) {
            LoadStart loadStart = LoadStart.watch(broker, topic, agent.pid());
            agent.send(runId, launch(runId, broker, task));
            agent.awaitReady(1, Duration.ofSeconds(60));
            long startAt = System.currentTimeMillis() + 500;
            long measureMs = seconds * 1000L;
            agent.send(runId, new StartRun(startAt, 0, measureMs, startAt + measureMs + 30_000));
            List<StatsReport> reports = stats.awaitLast(runId, List.of("p0"), Duration.ofSeconds(seconds + 60L));
            int exit = agent.awaitExit(Duration.ofSeconds(20));
            if (exit != 0) {
                throw new IllegalStateException("agent exited " + exit + ": " + agent.failures());
            }
            long sent = reports.stream()
                    .mapToLong(r -> r.messagesSent() + r.sentOutsidePhase())
                    .sum();
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
            return new Produced(
                    sent * 1000.0 / (endMs - startAt),
                    publish.p50() / 1000,
                    publish.p99() / 1000,
                    agent.peakRssMb(),
                    sent,
                    agent.cpuSeconds(),
                    loadStart.loadCpu(agent.cpuSeconds()),
                    wireBytesPerRecord(broker, topic, sent));
        }
    }

    private static Consumed runConsumerAgent(
            BenchBroker broker,
            StatsCollector stats,
            MessageCodec codec,
            String topic,
            long records,
            List<String> jvmOptions,
            Path agentClasses,
            Path logs,
            int index)
            throws Exception {
        String runId = "cost-c-" + topic + "-" + index + "-" + System.currentTimeMillis();
        ConsumerTask task = new ConsumerTask(
                "c0",
                broker.bootstrap(),
                ConsumerPerf.SETTINGS,
                List.of(topic),
                "cost-agent-" + topic,
                1,
                STATS_INTERVAL_MS);
        try (AgentJvm agent = AgentJvm.start(jvmOptions, agentClasses, logs.resolve(runId + ".err"), codec)) {
            LoadStart loadStart = LoadStart.watchGroup(broker, task.subscription(), agent.pid());
            agent.send(runId, launch(runId, broker, task));
            agent.awaitReady(1, Duration.ofSeconds(60));
            long startAt = System.currentTimeMillis();
            long measureMs = Duration.ofMinutes(5).toMillis();
            agent.send(runId, new StartRun(startAt, 0, measureMs, startAt + measureMs + 30_000));
            // Like ConsumerPerformance, stop once everything is read.
            stats.awaitReceived(runId, "c0", records, Duration.ofSeconds(120));
            agent.endInput();
            List<StatsReport> reports = stats.awaitLast(runId, List.of("c0"), Duration.ofSeconds(30));
            int exit = agent.awaitExit(Duration.ofSeconds(20));
            if (exit != 0) {
                throw new IllegalStateException("consumer agent exited " + exit + ": " + agent.failures());
            }
            long received =
                    reports.stream().mapToLong(StatsReport::messagesReceived).sum();
            long from = reports.stream()
                    .filter(r -> r.messagesReceived() > 0)
                    .mapToLong(StatsReport::intervalStartMs)
                    .min()
                    .orElseThrow();
            long to = reports.stream()
                    .filter(r -> r.messagesReceived() > 0)
                    .mapToLong(StatsReport::intervalEndMs)
                    .max()
                    .orElseThrow();
            return new Consumed(
                    received,
                    received * 1000.0 / Math.max(to - from, 1),
                    agent.cpuSeconds(),
                    loadStart.loadCpu(agent.cpuSeconds()));
        }
    }

    private static AgentLaunch launch(String runId, BenchBroker broker, AgentTask task) {
        return new AgentLaunch(
                runId,
                "bench",
                List.of(task),
                broker.bootstrap(),
                Map.of(),
                broker.topics().prefix(),
                System.currentTimeMillis() + Duration.ofMinutes(10).toMillis(),
                null,
                0);
    }

    /**
     * What a worker daemon gives an agent JVM by default (serial GC, heap, stack size…), plus {@code extra}: both
     * sides of every comparison run with these.
     */
    static List<String> daemonJvmOptions(List<String> extra) {
        List<String> command =
                new AgentCommandLine(Path.of(Bench.javaExecutable()), Bench.classPath(), "Main").command(extra);
        return List.copyOf(command.subList(1, command.indexOf("-cp")));
    }

    /**
     * One payload of {@code size} printable ASCII bytes (no {@code \n}: ProducerPerformance splits its payload file
     * at it, and decodes it as UTF-8, which leaves ASCII unchanged), the same for both producers.
     */
    static Path payloadFile(Path dir, int size) {
        byte[] bytes = new byte[size];
        Random random = new Random(size);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('!' + random.nextInt('~' - '!' + 1));
        }
        Path file = dir.resolve("payload-" + size + ".data");
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Bytes of the topic's log segments (batches as the broker stores and sends them) per record. */
    private static double wireBytesPerRecord(BenchBroker broker, String topic, long records) {
        return records == 0 ? Double.NaN : (double) logBytes(broker, topic) / records;
    }

    private static long logBytes(BenchBroker broker, String topic) {
        long bytes = 0;
        try (Stream<Path> dirs = Files.list(broker.logDir())) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches(topic + "-\\d+"))
                    .toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path log :
                            files.filter(f -> f.toString().endsWith(".log")).toList()) {
                        bytes += Files.size(log);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log segments of " + topic, e);
        }
        return bytes;
    }

    /**
     * ProducerPerformance's and ConsumerPerformance's JVM options: the agent's, plus from the start the heap sizing
     * an unthrottled producer agent, or a consumer agent reading a backlog (as the bench's consumers do), gives its
     * JVM at run time ({@link HeapHeadroom}), so that both sides' collectors have the same room (unless {@code
     * --jvm-opt} already sets the ratios for both).
     */
    static List<String> roomy(List<String> options) {
        if (options.stream().anyMatch(o -> o.contains("HeapFreeRatio="))) {
            return options;
        }
        List<String> out = new ArrayList<>(options);
        out.addAll(HeapHeadroom.roomyJvmOptions());
        return List.copyOf(out);
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

    private static <T> double median(List<T> items, ToDoubleFunction<T> f) {
        return median(items.stream().map(f::applyAsDouble).toList());
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String medianAndRange(List<Double> values) {
        return Bench.f(
                "%.3f (%.3f–%.3f, %d pairs)",
                median(values),
                values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                values.size());
    }
}
