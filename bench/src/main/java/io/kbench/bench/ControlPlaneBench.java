package io.kbench.bench;

import io.kbench.controller.run.RunOutcome;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentSpawned;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.worker.WorkerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Benchmark 4 (bench/control-plane.sh): a 14-agent run (10 producers at 1,000 msg/s, 4 consumers) through the
 * controller's run lifecycle on the local fleet, timed from outside: run start → RunSpec → every agent ready, → first
 * stats report and first window, start-barrier skew across producers, and the schedule's end → zero agent
 * processes. Goals: ready <= 5 s after the RunSpec, skew <= 5 ms, teardown <= 3 s.
 *
 * <p>Options: {@code --repeat N} (runs, default 2: the first one pays for cold JIT in the fleet's JVM), {@code
 * --producers 10}, {@code --consumers 4}, {@code --agents-per-jvm 1}, {@code --consumer-config KEY=VALUE} (added to
 * the driver's consumer settings; repeatable: {@code --consumer-config group.protocol=consumer} times the consumers'
 * group join with KIP-848's protocol), {@code --warm-agents N} (the daemon's; default {@code kbench worker}'s, 0
 * boots every run's JVMs at its start), {@code --gap S} (seconds between the end of a run and the next one's start,
 * default 0: the next starts once the last one's topics are gone).
 */
public final class ControlPlaneBench {

    private ControlPlaneBench() {}

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        int repeat = a.intOpt("--repeat", 2);
        int producers = a.intOpt("--producers", 10);
        int consumers = a.intOpt("--consumers", 4);
        int perJvm = a.intOpt("--agents-per-jvm", 1);
        List<String> consumerSettings = a.all("--consumer-config");
        int warmAgents = a.intOpt("--warm-agents", WorkerConfig.DEFAULT_WARM_AGENTS);
        int gapSeconds = a.intOpt("--gap", 0);
        System.out.println(
                Bench.header("control-plane: lifecycle timings of a " + (producers + consumers) + "-agent run"));
        Path out = Files.createTempDirectory("kbench-bench-control-");
        boolean allMet = true;
        if (!consumerSettings.isEmpty()) {
            Bench.println("consumer settings added to the driver's: %s", consumerSettings);
        }
        Bench.println(
                "the daemon's --warm-agents %d: run 1 boots its JVMs; later runs take the ones booted after the"
                        + " run before",
                warmAgents);
        try (BenchFleet fleet = new BenchFleet(out.resolve("agents"), consumerSettings, warmAgents);
                RunWatcher watcher = new RunWatcher(
                        fleet.broker().bootstrap(), fleet.broker().topics(), new MessageCodec())) {
            List<Double> readies = new ArrayList<>();
            for (int i = 1; i <= repeat; i++) {
                if (i > 1 && gapSeconds > 0) {
                    Bench.println("%d s between runs (--gap)", gapSeconds);
                    Thread.sleep(gapSeconds * 1000L);
                }
                allMet &= once(fleet, watcher, out, producers, consumers, perJvm, i, readies);
            }
            List<Double> sorted = readies.stream().sorted().toList();
            Bench.println(
                    "series: %d runs, %d started (all %d agents ready), %d did not; ready after the RunSpec min %s /"
                            + " median %s / max %s s",
                    repeat,
                    readies.size(),
                    producers + consumers,
                    repeat - readies.size(),
                    sorted.isEmpty() ? "-" : Bench.f("%.1f", sorted.get(0)),
                    sorted.isEmpty() ? "-" : Bench.f("%.1f", sorted.get(sorted.size() / 2)),
                    sorted.isEmpty() ? "-" : Bench.f("%.1f", sorted.get(sorted.size() - 1)));
        }
        System.exit(allMet ? 0 : 1);
    }

    private static boolean once(
            BenchFleet fleet,
            RunWatcher watcher,
            Path out,
            int producers,
            int consumers,
            int perJvm,
            int i,
            List<Double> readies)
            throws Exception {
        int agents = producers + consumers;
        AgentCounter counter = new AgentCounter();
        Progress progress = Progress.timed(false);
        long t0 = System.currentTimeMillis();
        RunOutcome outcome = fleet.run(
                BenchFleet.workload("control-plane-" + i, 16, producers, consumers, 1_000, perJvm, 2, 5),
                out,
                progress.stream());
        long returned = System.currentTimeMillis();
        List<RunWatcher.Seen> seen = watcher.of(outcome.runId());
        Set<Long> pids = seen.stream()
                .filter(s -> s.message() instanceof AgentSpawned)
                .map(s -> ((AgentSpawned) s.message()).pid())
                .collect(Collectors.toSet());
        counter.awaitGone(pids, 30_000);
        counter.close();

        if (seen.stream().noneMatch(s -> s.message() instanceof StartRun)) {
            // The run never reached its start barrier: report why instead of timings.
            Bench.println(
                    "run %d (%s, %s): never started after %.1f s: %s",
                    i, outcome.runId(), outcome.status(), (returned - t0) / 1000.0, outcome.problem());
            System.out.println(Bench.verdict(false, "run " + i + " did not start"));
            return false;
        }
        long specAt = first(seen, RunSpec.class);
        StartRun start = (StartRun) seen.stream()
                .filter(s -> s.message() instanceof StartRun)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no StartRun seen for " + outcome.runId()))
                .message();
        long lastReady = seen.stream()
                .filter(s -> s.message() instanceof AgentReady)
                .mapToLong(RunWatcher.Seen::atMs)
                .max()
                .orElse(-1);
        long readyCount =
                seen.stream().filter(s -> s.message() instanceof AgentReady).count();
        long firstSpawned = first(seen, AgentSpawned.class);
        long lastSpawned = seen.stream()
                .filter(s -> s.message() instanceof AgentSpawned)
                .mapToLong(RunWatcher.Seen::atMs)
                .max()
                .orElse(-1);
        long firstReady = first(seen, AgentReady.class);
        long lastProducerReady = seen.stream()
                .filter(s -> s.message() instanceof AgentReady r && r.agentId().startsWith("p"))
                .mapToLong(RunWatcher.Seen::atMs)
                .max()
                .orElse(-1);
        long allReadyLine = progress.lines().stream()
                .filter(l -> l.text().contains("agents ready"))
                .mapToLong(Progress.Line::atMs)
                .findFirst()
                .orElse(-1);
        long firstWindowLine = progress.lines().stream()
                .filter(l ->
                        l.text().trim().startsWith("WARMUP") || l.text().trim().startsWith("MEASURE"))
                .mapToLong(Progress.Line::atMs)
                .findFirst()
                .orElse(-1);
        long firstStats = seen.stream()
                .filter(s -> s.message() instanceof StatsReport r && r.phase() != Phase.READY)
                .mapToLong(RunWatcher.Seen::atMs)
                .min()
                .orElse(-1);

        // Barrier: per producer, (a) the start of its first WARMUP report (when its stats thread saw the start),
        // (b) an upper bound of its first send: startAt + the largest publish delay in its first report with
        // messages (the rate limiter's first intended time is startAt exactly).
        Map<String, Long> firstIntervalStart = new HashMap<>();
        Map<String, Double> firstSendBound = new HashMap<>();
        for (RunWatcher.Seen s : seen) {
            if (s.message() instanceof StatsReport r && r.role() == AgentRole.PRODUCER) {
                if (r.phase() == Phase.WARMUP) {
                    firstIntervalStart.merge(r.agentId(), r.intervalStartMs(), Math::min);
                }
                String delay = r.histograms().get(LatencyKind.PUBLISH_DELAY);
                if (r.messagesSent() > 0 && delay != null && !firstSendBound.containsKey(r.agentId())) {
                    double maxDelayMs = HistogramCodec.decode(delay).getMaxValue() / 1000.0;
                    firstSendBound.put(r.agentId(), start.startAt() + maxDelayMs);
                }
            }
        }
        long skewInterval = spread(firstIntervalStart.values().stream()
                .mapToDouble(Long::doubleValue)
                .toArray());
        long skewSend = spread(firstSendBound.values().stream()
                .mapToDouble(Double::doubleValue)
                .toArray());
        double maxLateMs = firstSendBound.values().stream()
                .mapToDouble(v -> v - start.startAt())
                .max()
                .orElse(Double.NaN);
        long scheduleEnd = start.startAt() + start.warmupMs() + start.measureMs();
        long teardown = counter.lastSeenMs(pids) - scheduleEnd;

        // The goal counts from the RunSpec (the "ready <= 5 s after the RunSpec"); the run's start before it
        // (topics created, the last run's deleted ones gone) is printed beside it.
        double readyS = (allReadyLine - specAt) / 1000.0;
        if (readyCount == agents) {
            readies.add(readyS);
        }
        Bench.println(
                "run %d (%s, %s): %d agents, agentsPerJvm %d", i, outcome.runId(), outcome.status(), agents, perJvm);
        Bench.println(
                "  run start -> RunSpec published %.2f s; -> last AgentReady seen %.2f s (%d of %d);"
                        + " -> controller's \"all ready\" %.2f s",
                (specAt - t0) / 1000.0, (lastReady - t0) / 1000.0, readyCount, agents, readyS);
        Bench.println(
                "  AgentSpawned events +%.2f .. +%.2f s; first AgentReady +%.2f s; last producer ready +%.2f s"
                        + " (consumers are ready only once the group has filled in and assigned them their share)",
                (firstSpawned - t0) / 1000.0,
                (lastSpawned - t0) / 1000.0,
                (firstReady - t0) / 1000.0,
                (lastProducerReady - t0) / 1000.0);
        Bench.println(
                "  agent JVMs: %d, of which %d booted before the run (the daemon's warm JVMs, --warm-agents)",
                pids.size(), counter.aliveBefore(pids, t0));
        phases(seen, out.resolve("agents").resolve(outcome.runId()));
        Bench.println(
                "  start barrier at +%.2f s (lead %d ms after ready); first StatsReport of the run +%.2f s"
                        + " (%d ms after the barrier); first window line +%.2f s",
                (start.startAt() - t0) / 1000.0,
                start.startAt() - allReadyLine,
                (firstStats - t0) / 1000.0,
                firstStats - start.startAt(),
                (firstWindowLine - t0) / 1000.0);
        Bench.println(
                "  barrier skew across %d producers: first WARMUP intervalStartMs spread %d ms; first-send upper"
                        + " bound (startAt + max publish delay of first report) spread %d ms, latest %.1f ms after"
                        + " the barrier",
                firstIntervalStart.size(), skewInterval, skewSend, maxLateMs);
        Bench.println(
                "  teardown: schedule end -> none of the run's agent JVMs alive %.2f s (controller returned"
                        + " %.2f s after the schedule end, incl. summary, result files, topic deletion and the"
                        + " wait for their files)",
                teardown / 1000.0, (returned - scheduleEnd) / 1000.0);
        boolean met = readyS <= 5 && skewInterval <= 5 && teardown <= 3000;
        System.out.println(Bench.verdict(
                met,
                Bench.f(
                        "ready %.2f s after the RunSpec (goal <= 5 s; %.2f s after the run's start), skew %d ms by"
                                + " intervalStartMs / %d ms by first-send bound (goal <= 5 ms), teardown %.2f s (goal <="
                                + " 3 s)",
                        readyS, (allReadyLine - t0) / 1000.0, skewInterval, skewSend, teardown / 1000.0)));
        return met;
    }

    /**
     * Where each agent's time to ready went, from its daemon's {@code AgentSpawned} event, the agent's own log line
     * "agent JVM launched" (written once the JVM is up, has read its launch line and created its clients) and its
     * {@code AgentReady} event (producers: metadata; consumers: metadata and the group's assignment).
     */
    private static void phases(List<RunWatcher.Seen> seen, Path runLogs) {
        Map<String, Long> spawned = new HashMap<>();
        Map<String, Long> ready = new HashMap<>();
        for (RunWatcher.Seen s : seen) {
            if (s.message() instanceof AgentSpawned a) {
                a.agentIds().forEach(id -> spawned.putIfAbsent(id, s.atMs()));
            } else if (s.message() instanceof AgentReady r) {
                ready.putIfAbsent(r.agentId(), s.atMs());
            }
        }
        List<Long> boot = new ArrayList<>();
        List<Long> producerConnect = new ArrayList<>();
        List<Long> consumerConnect = new ArrayList<>();
        for (Map.Entry<String, Long> agent : spawned.entrySet()) {
            long launched = launchedAt(runLogs.resolve(agent.getKey() + ".err"));
            Long readyAt = ready.get(agent.getKey());
            if (launched < 0 || readyAt == null) {
                continue;
            }
            boot.add(launched - agent.getValue());
            (agent.getKey().startsWith("p") ? producerConnect : consumerConnect).add(readyAt - launched);
        }
        Bench.println(
                "  per agent: spawn -> launched (JVM start unless warm, launch line, clients created) %s; launched ->"
                        + " ready:"
                        + " producers (metadata) %s, consumers (metadata + group assignment) %s",
                medianMax(boot), medianMax(producerConnect), medianMax(consumerConnect));
    }

    private static String medianMax(List<Long> ms) {
        if (ms.isEmpty()) {
            return "n/a";
        }
        List<Long> sorted = ms.stream().sorted().toList();
        return Bench.f(
                "median %.1f / max %.1f s",
                sorted.get(sorted.size() / 2) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    }

    /** When the agent logged "agent JVM launched" (its log's local time of day, today), or -1. */
    private static long launchedAt(Path errFile) {
        try (Stream<String> lines = Files.lines(errFile)) {
            return lines.filter(l -> l.contains("agent JVM launched"))
                    .findFirst()
                    .map(l -> java.time.LocalTime.parse(l.substring(0, 12))
                            .atDate(java.time.LocalDate.now())
                            .atZone(java.time.ZoneId.systemDefault())
                            .toInstant()
                            .toEpochMilli())
                    .orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long first(List<RunWatcher.Seen> seen, Class<?> type) {
        return seen.stream()
                .filter(s -> type.isInstance(s.message()))
                .mapToLong(RunWatcher.Seen::atMs)
                .min()
                .orElse(-1);
    }

    private static long spread(double[] values) {
        if (values.length == 0) {
            return -1;
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return Math.round(max - min);
    }

    /**
     * Samples this JVM's agent child processes every 20 ms and remembers when each was first and last seen alive,
     * so a run's figures take only its own agents' JVMs (the daemon's warm JVMs for the next run are agent JVMs
     * too, and are alive before and after it).
     */
    private static final class AgentCounter implements AutoCloseable {
        private final Map<Long, long[]> seenByPid = new ConcurrentHashMap<>();
        private volatile boolean stopped;
        private final Thread thread = new Thread(this::loop, "agent-counter");

        AgentCounter() {
            sample(); // before the run starts: what is alive now was booted before it
            thread.setDaemon(true);
            thread.start();
        }

        private static Stream<ProcessHandle> agents() {
            return ProcessHandle.current().descendants().filter(p -> p.isAlive() && Bench.isAgent(p));
        }

        private void loop() {
            while (!stopped) {
                sample();
                try {
                    Thread.sleep(20); // a sampling period
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample() {
            long now = System.currentTimeMillis();
            agents().forEach(p -> seenByPid.compute(
                    p.pid(), (pid, seen) -> seen == null ? new long[] {now, now} : new long[] {seen[0], now}));
        }

        /** Waits until none of {@code pids} is alive. */
        void awaitGone(Set<Long> pids, long timeoutMs) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (agents().anyMatch(p -> pids.contains(p.pid()))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("agent processes still alive " + timeoutMs + " ms after the run");
                }
                Thread.sleep(20); // polling the process table
            }
        }

        /** The last time one of {@code pids} was seen alive, or -1. */
        long lastSeenMs(Set<Long> pids) {
            return pids.stream()
                    .map(seenByPid::get)
                    .filter(Objects::nonNull)
                    .mapToLong(seen -> seen[1])
                    .max()
                    .orElse(-1);
        }

        /** How many of {@code pids} were first seen alive before {@code atMs}: JVMs booted before the run. */
        long aliveBefore(Set<Long> pids, long atMs) {
            return pids.stream()
                    .map(seenByPid::get)
                    .filter(seen -> seen != null && seen[0] < atMs)
                    .count();
        }

        @Override
        public void close() {
            stopped = true;
            thread.interrupt();
        }
    }
}
