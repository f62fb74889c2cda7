package io.kbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Benchmark 8 (bench/local-cost.sh): what the {@code kbench local} JVM costs beside the broker it hosts. It runs
 * the real CLI ({@code bin/kbench local}, the distribution's launcher) on a workload at a fixed rate and, over the
 * measurement phase only, charges the local JVM's CPU to its parts by thread (two {@code jcmd Thread.print} thread
 * dumps, which give each thread's CPU time): the embedded broker, kbench's own parts in that JVM (aggregator,
 * worker daemon, controller, their Kafka clients) and the JVM's own threads (GC, JIT). The agent JVMs' CPU over
 * the same interval comes from /proc. Messages over the interval come from the run's result (its windows'
 * publish rate), so CPU per message is over exactly what was sent.
 *
 * <p>kbench's part is the load generator's cost that a real fleet does not have on the broker's host; the
 * broker's part is what any benchmark of this workload would cost the broker. Goal: kbench's own threads cost
 * at most a quarter of the broker's (a fixed line in a bench, not a truth: the broker's cost per message falls
 * with batching, kbench's stays per report).
 *
 * <p>Options: {@code --workload F} (workloads/1-producer-4-consumers-1kb.yaml), {@code --rate R} total msg/s
 * (10000: the workload's own; 50,000 saturates this 2-core host), {@code --seconds S} measurement (30), {@code
 * --warmup W} (60, OMB's default: on 2 cores the agent JVMs' C2 compilation takes 60-80 s to settle; the timeline
 * printed every 5 s shows it), {@code --driver F} (kbench's
 * defaults), {@code --launcher PATH} (set by the script).
 */
public final class LocalCost {

    /** Whose thread it is. */
    enum Part {
        BROKER("broker"),
        KBENCH("kbench (aggregator, worker daemon, controller, their clients)"),
        JVM("JVM (GC, JIT, VM)");

        final String label;

        Part(String label) {
            this.label = label;
        }
    }

    private static final Pattern THREAD = Pattern.compile("^\"(.*)\" (?:#(\\d+) )?.*?cpu=([0-9.]+)ms");

    private static final Set<String> JVM_THREADS = Set.of(
            "VM Thread",
            "Signal Dispatcher",
            "Service Thread",
            "Monitor Deflation Thread",
            "Common-Cleaner",
            "Reference Handler",
            "Finalizer",
            "Notification Thread",
            "Attach Listener");
    private static final List<String> JVM_PREFIXES =
            List.of("GC Thread", "G1 ", "VM Periodic Task", "Sweeper", "Java2D");
    /**
     * Kafka's clients name their threads "<role> | <client id>" (producer network thread, admin client, coordinator
     * heartbeat); no broker thread does. Streams names its threads after the application.
     */
    private static final List<String> KBENCH_PARTS =
            List.of(" | ", "StreamThread", "StateUpdater", "consumer_background_thread");

    private static final List<String> KBENCH_PREFIXES = List.of("kbench", "HttpServer", "agent-", "clock-");

    private LocalCost() {}

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        Path workload = Path.of(a.opt("--workload", "workloads/1-producer-4-consumers-1kb.yaml"));
        int rate = a.intOpt("--rate", 10_000);
        int seconds = a.intOpt("--seconds", 30);
        int warmup = a.intOpt("--warmup", 60);
        String driver = a.opt("--driver", null);
        String launcher = a.opt("--launcher", null);
        if (launcher == null) {
            throw new IllegalArgumentException("--launcher bin/kbench is required (bench/local-cost.sh sets it)");
        }
        if (seconds < 10) {
            throw new IllegalArgumentException("--seconds must be at least 10, got " + seconds);
        }
        System.out.println(Bench.header("local-cost: the kbench local JVM's CPU by part, over the measurement"));
        Path dir = Files.createTempDirectory("kbench-bench-local-cost-");
        Path rated = dir.resolve("workload.yaml");
        Files.writeString(rated, withRate(Files.readString(workload), rate));
        List<String> command = new ArrayList<>(List.of(
                launcher,
                "local",
                rated.toString(),
                "--duration",
                Integer.toString(seconds),
                "--warmup",
                Integer.toString(warmup),
                "-o",
                dir.resolve("results").toString(),
                "--log-dir",
                dir.resolve("agents").toString()));
        if (driver != null) {
            command.add("--drivers");
            command.add(driver);
        }
        Bench.println(
                "workload %s at %,d msg/s, warm-up %d s, measurement %d s; local JVM options: %s",
                workload,
                rate,
                warmup,
                seconds,
                System.getenv().getOrDefault("KBENCH_JAVA_OPTS", "(launcher defaults)"));
        long launchedAt = System.currentTimeMillis();
        Process local = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CountDownLatch barrier = new CountDownLatch(1);
        Path log = dir.resolve("local.log");
        Thread reader = new Thread(() -> copyOutput(local, log, barrier), "local-output");
        reader.setDaemon(true);
        reader.start();
        if (!barrier.await(180, TimeUnit.SECONDS)) {
            local.destroy();
            throw new IllegalStateException("the run did not set its start barrier within 180 s; see " + log);
        }
        Thread timeline = new Thread(() -> timeline(local.pid()), "local-cost-timeline");
        timeline.setDaemon(true);
        timeline.start();
        // The barrier is set a few seconds ahead; the measurement starts after it and the warm-up. The interval
        // leaves 3 s at each end so that neither start-up nor teardown falls into it.
        long intervalSeconds = seconds - 6L;
        Thread.sleep((3 + warmup + 3) * 1000L); // a schedule in wall-clock time: nothing to wait on but time
        Sample first = Sample.take(local.pid());
        Thread.sleep(intervalSeconds * 1000L);
        Sample last = Sample.take(local.pid());
        if (!local.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
            local.destroy();
            throw new IllegalStateException("kbench local did not end within " + (seconds + 120) + " s; see " + log);
        }
        reader.join(5_000);
        JsonNode result = resultOf(dir.resolve("results"));
        double publishRate = meanPublishRate(result);
        double messages = publishRate * intervalSeconds;
        report(first, last, messages, publishRate, local.exitValue(), log);
        opening(result, first, last, messages, launchedAt, warmup);
        System.exit(0);
    }

    /**
     * Every 5 s from the start barrier: the cores the local JVM and the agent JVMs used since the last line, so
     * that the warm-up's end (JIT compilation settling) is visible beside the measured interval.
     */
    private static void timeline(long pid) {
        long t0 = System.nanoTime();
        double[] last = {ChildCpu.secondsOf(pid), agentSeconds(pid)};
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                Thread.sleep(5_000); // a fixed sampling period: nothing to wait on but time
            } catch (InterruptedException e) {
                return;
            }
            double[] now = {ChildCpu.secondsOf(pid), agentSeconds(pid)};
            if (Double.isNaN(now[0])) {
                return;
            }
            Bench.println(
                    "  t+%3.0f s  local JVM %.2f cores  agent JVMs %.2f cores",
                    (System.nanoTime() - t0) / 1e9, (now[0] - last[0]) / 5, (now[1] - last[1]) / 5);
            last = now;
        }
    }

    /** The CPU seconds of a process's live descendants (the agent JVMs of a local run). */
    static double agentSeconds(long pid) {
        return ProcessHandle.of(pid)
                .map(h -> h.descendants()
                        .mapToDouble(d -> {
                            double s = ChildCpu.secondsOf(d.pid());
                            return Double.isNaN(s) ? 0 : s;
                        })
                        .sum())
                .orElse(0.0);
    }

    static String withRate(String yaml, int rate) {
        if (!Pattern.compile("(?m)^producerRate:").matcher(yaml).find()) {
            return yaml + "\nproducerRate: " + rate + "\n";
        }
        return yaml.replaceAll("(?m)^producerRate:.*$", "producerRate: " + rate);
    }

    /** Whose thread a thread name is: the broker's, kbench's, or the JVM's own. */
    static Part classify(String name) {
        if (JVM_THREADS.contains(name)
                || JVM_PREFIXES.stream().anyMatch(name::startsWith)
                || name.contains("CompilerThread")) {
            return Part.JVM;
        }
        if (name.equals("main")
                || KBENCH_PREFIXES.stream().anyMatch(name::startsWith)
                || KBENCH_PARTS.stream().anyMatch(name::contains)) {
            return Part.KBENCH;
        }
        return Part.BROKER;
    }

    private static void report(Sample first, Sample last, double messages, double rate, int exit, Path log) {
        Map<String, Double> perThread = new HashMap<>();
        for (Map.Entry<String, Double> e : last.threadMillis.entrySet()) {
            double before = first.threadMillis.getOrDefault(e.getKey(), 0.0);
            perThread.put(e.getKey(), (e.getValue() - before) / 1000.0);
        }
        Map<Part, Double> byPart = new EnumMap<>(Part.class);
        for (Part p : Part.values()) {
            byPart.put(p, 0.0);
        }
        perThread.forEach((key, s) -> byPart.merge(classify(nameOf(key)), s, Double::sum));
        double process = last.processSeconds - first.processSeconds;
        double attributed =
                byPart.values().stream().mapToDouble(Double::doubleValue).sum();
        double agents = last.agentSeconds - first.agentSeconds;
        double wall = (last.nanos - first.nanos) / 1e9;
        Bench.println(
                "interval %.1f s; %,.0f msg/s published (the run's windows); %,.0f messages; kbench local exit %d",
                wall, rate, messages, exit);
        Bench.println("%-66s %8s %10s %8s", "part", "CPU s", "µs/msg", "cores");
        for (Part p : Part.values()) {
            row("local JVM: " + p.label, byPart.get(p), messages, wall);
        }
        row("local JVM: threads that ended within the interval", process - attributed, messages, wall);
        row("local JVM, whole", process, messages, wall);
        row("agent JVMs", agents, messages, wall);
        System.out.println("busiest threads of the local JVM over the interval:");
        perThread.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(15)
                .forEach(e -> Bench.println(
                        "  %7.2f s  %-7s %s", e.getValue(), classify(nameOf(e.getKey())), nameOf(e.getKey())));
        double broker = byPart.get(Part.BROKER);
        double kbench = byPart.get(Part.KBENCH);
        double ratio = kbench / broker;
        Bench.println(
                "kbench's own threads / the broker's, in the local JVM: %.3f (%.3f vs %.3f µs/msg)",
                ratio, kbench * 1e6 / messages, broker * 1e6 / messages);
        System.out.println(
                Bench.verdict(ratio <= 0.25, Bench.f("kbench's share %.3f of the broker's (goal <= 0.25)", ratio)));
        System.out.println("kbench local output: " + log);
    }

    /** One line of the table: CPU seconds, per message and as cores over the interval. */
    private static void row(String part, double seconds, double messages, double wall) {
        Bench.println("%-66s %8.2f %10.3f %8.2f", part, seconds, seconds * 1e6 / messages, seconds / wall);
    }

    private static String nameOf(String key) {
        int hash = key.lastIndexOf('\u0000');
        return hash < 0 ? key : key.substring(0, hash);
    }

    /**
     * The figures of issue #15's opening table, kbench's column, from this run: the rate (the discovered one when
     * the workload asks for {@code producerRate: 0}), CPU per message of generator and broker together (the local
     * JVM, which hosts the broker, and the agent JVMs, over the interval), publish and end-to-end p99 over the whole
     * measurement beside the range of its windows' p99, and the time from launching {@code kbench local} to its
     * start barrier, when the load starts (the warm-up's first second is the first one measured, as in OMB).
     */
    private static void opening(
            JsonNode result, Sample first, Sample last, double messages, long launchedAt, int warmupSeconds) {
        JsonNode kbench = result.path("kbench");
        double cpu = (last.processSeconds - first.processSeconds) + (last.agentSeconds - first.agentSeconds);
        System.out.println("the issue's opening figures, this run:");
        Bench.println(
                "  status                                  %s",
                kbench.path("status").asText("?"));
        JsonNode discovered = kbench.path("discoveredRate");
        Bench.println(
                "  rate                                    %,.0f msg/s%s",
                kbench.path("rates").path("publishRate").asDouble(Double.NaN),
                discovered.isNumber() ? Bench.f(" (discovered %,.0f msg/s)", discovered.asDouble()) : "");
        Bench.println("  CPU per message, generator + broker     %.2f µs", cpu * 1e6 / messages);
        Bench.println(
                "  publish p99, whole / windows            %.1f ms / %s ms",
                result.path("aggregatedPublishLatency99pct").asDouble(Double.NaN),
                range(result.path("publishLatency99pct")));
        Bench.println(
                "  end-to-end p99, whole / windows         %.1f ms / %s ms",
                result.path("aggregatedEndToEndLatency99pct").asDouble(Double.NaN),
                range(result.path("endToEndLatency99pct")));
        long measureStart = kbench.path("measureStart").asLong(0);
        Bench.println(
                "  launch -> load starts (start barrier)   %.1f s",
                measureStart == 0 ? Double.NaN : (measureStart - warmupSeconds * 1000L - launchedAt) / 1000.0);
    }

    /** min–max of a result's per-window series. */
    static String range(JsonNode series) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (JsonNode v : series) {
            min = Math.min(min, v.asDouble());
            max = Math.max(max, v.asDouble());
        }
        return min > max ? "-" : Bench.f("%.1f-%.1f", min, max);
    }

    private static JsonNode resultOf(Path results) throws IOException {
        Path json;
        try (Stream<Path> files = Files.list(results)) {
            json = files.filter(p -> p.toString().endsWith(".json"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no result file in " + results));
        }
        return new ObjectMapper().readTree(json.toFile());
    }

    private static double meanPublishRate(JsonNode result) {
        double sum = 0;
        int n = 0;
        for (JsonNode r : result.path("publishRate")) {
            sum += r.asDouble();
            n++;
        }
        if (n == 0) {
            throw new IllegalStateException("no publishRate in the result");
        }
        return sum / n;
    }

    private static void copyOutput(Process local, Path log, CountDownLatch barrier) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(local.getInputStream(), StandardCharsets.UTF_8));
                var out = Files.newBufferedWriter(log)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                if (line.contains("start barrier set")) {
                    barrier.countDown();
                }
            }
        } catch (IOException e) {
            System.err.println("lost kbench local's output: " + e);
        }
    }

    /** Each live thread's CPU (ms, by name and id) from a thread dump, the process's CPU, its children's. */
    private record Sample(long nanos, Map<String, Double> threadMillis, double processSeconds, double agentSeconds) {

        static Sample take(long pid) throws IOException, InterruptedException {
            long nanos = System.nanoTime();
            double process = ChildCpu.secondsOf(pid);
            double agents = LocalCost.agentSeconds(pid);
            Process dump = new ProcessBuilder(Bench.jcmd().toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            Map<String, Double> threads = new HashMap<>();
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(dump.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = THREAD.matcher(line);
                    if (m.find()) {
                        String key = m.group(1) + '\u0000' + (m.group(2) == null ? "" : m.group(2));
                        threads.put(key, Double.parseDouble(m.group(3)));
                    }
                }
            }
            if (dump.waitFor() != 0 || threads.isEmpty()) {
                throw new IllegalStateException("jcmd " + pid + " Thread.print gave no thread CPU times");
            }
            return new Sample(nanos, threads, process, agents);
        }
    }
}
