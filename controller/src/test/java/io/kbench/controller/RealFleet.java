package io.kbench.controller;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.aggregator.Aggregator;
import io.kbench.aggregator.AggregatorConfig;
import io.kbench.controller.command.KbenchMain;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.registry.RegistryView;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.worker.WorkerMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A fleet of real processes for fault tests: the aggregator in the test's JVM, a worker daemon as its own process
 * (WorkerMain, whose agents are real JVMs), and the CLI as its own process. Closing it leaves no process behind.
 */
final class RealFleet implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String WORKER = "w-doomed";
    private static final Pattern RUN_ID = Pattern.compile("run (\\S+): ");

    private final Path dir;
    private final String prefix;
    private final Aggregator aggregator;
    private final List<Process> started = new ArrayList<>();
    final Process daemon;

    RealFleet(String bootstrap, Path dir, String prefix) throws Exception {
        this.dir = dir;
        this.prefix = prefix;
        this.aggregator = new Aggregator(AggregatorConfig.of(bootstrap)
                .withTopicPrefix(prefix)
                .withMemberId("agg-" + prefix)
                .withStateDir(dir.resolve("state"))
                .withMetricsPort(-1));
        aggregator.start();
        this.daemon = java(
                "daemon",
                WorkerMain.class.getName(),
                "--bootstrap-server",
                bootstrap,
                "--topic-prefix",
                prefix,
                "--worker-id",
                WORKER,
                "--log-dir",
                dir.resolve("agent-logs").toString());
        awaitLiveWorker(bootstrap);
    }

    /** The daemon heartbeats once it reads the control topic: registered means listening. */
    private void awaitLiveWorker(String bootstrap) throws InterruptedException {
        KbenchTopics topics = new KbenchTopics(prefix);
        try (KafkaConsumer<String, byte[]> reader = KafkaClients.readerConsumer(bootstrap, Map.of())) {
            BooleanSupplier live = () -> {
                try {
                    return RegistryView.read(reader, topics.registry(), new MessageCodec(), Duration.ofSeconds(5))
                            .live(MemberRole.WORKER, System.currentTimeMillis())
                            .stream()
                            .anyMatch(m -> m.heartbeat().memberId().equals(WORKER));
                } catch (RuntimeException notYet) {
                    return false; // the registry topic may not exist before the daemon's first heartbeat
                }
            };
            until(() -> live.getAsBoolean() || !daemon.isAlive(), WAIT);
            assertTrue(live.getAsBoolean(), "worker " + WORKER + " is live (see daemon.log)");
        }
    }

    String prefix() {
        return prefix;
    }

    /**
     * Starts {@code kbench run} of a 1-producer, 1-consumer workload at 1,000 msg/s with 1 s windows and returns once
     * two measured windows are in: enough to have something to keep, far from the schedule's end.
     */
    Cli runUntilMeasuring(String bootstrap, String name, int testSeconds) throws Exception {
        Path workload = dir.resolve(name + ".yaml");
        Files.writeString(workload, """
                name: %s
                topics: 1
                partitionsPerTopic: 2
                messageSize: 256
                subscriptionsPerTopic: 1
                producersPerTopic: 1
                consumerPerSubscription: 1
                producerRate: 1000
                warmupDurationSeconds: 2
                testDurationSeconds: %d
                statsWindowSeconds: 1
                """.formatted(name, testSeconds));
        Path results = dir.resolve("results");
        Process process = java(
                null,
                KbenchMain.class.getName(),
                "run",
                "-b",
                bootstrap,
                "--topic-prefix",
                prefix,
                "--ready-timeout",
                "60",
                "-o",
                results.toString(),
                workload.toString());
        Cli cli = new Cli(process, results);
        until(() -> cli.measuredWindows() >= 2 || !process.isAlive(), WAIT);
        assertTrue(process.isAlive() && cli.measuredWindows() >= 2, "measuring when the fault comes:\n" + cli.output());
        return cli;
    }

    private Process java(String logName, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (logName != null) {
            builder.redirectOutput(dir.resolve(logName + ".log").toFile());
        }
        Process process = builder.start();
        started.add(process);
        return process;
    }

    @Override
    public void close() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        // Should a test fail half-way, leave no agent behind on the build machine.
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                .forEach(ProcessHandle::destroyForcibly);
        aggregator.close();
    }

    /** Waits for a condition, looking every 100 ms, at most {@code timeout}. */
    static void until(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object monitor = new Object();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            synchronized (monitor) {
                monitor.wait(100);
            }
        }
    }

    /** The CLI's process and what it printed, line by line (echoed to the test's output). */
    static final class Cli {
        final Process process;
        final Path results;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        Cli(Process process, Path results) {
            this.process = process;
            this.results = results;
            Thread reader = new Thread(() -> {
                try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        System.out.println("[kbench] " + line);
                        lines.add(line);
                    }
                } catch (IOException e) {
                    System.out.println("[kbench] output closed: " + e);
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        long measuredWindows() {
            return lines.stream().filter(l -> l.trim().startsWith("MEASURE")).count();
        }

        String runId() {
            Matcher m = RUN_ID.matcher(output());
            if (!m.find()) {
                throw new AssertionError("no run id in:\n" + output());
            }
            return m.group(1);
        }

        String output() {
            return String.join("\n", lines);
        }
    }
}
