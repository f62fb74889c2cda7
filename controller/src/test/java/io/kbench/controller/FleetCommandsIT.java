package io.kbench.controller;

import static io.kbench.controller.InProcessCli.kbench;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.aggregator.Aggregator;
import io.kbench.aggregator.AggregatorConfig;
import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.worker.WorkerConfig;
import io.kbench.worker.WorkerDaemon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet as users run it: an aggregator and a worker daemon that only verify signed control records, and the
 * CLI's run, workers, runs, show and stop commands against them.
 */
@ExtendWith(KafkaClusterExtension.class)
class FleetCommandsIT {

    private static final String PREFIX = "fleet";
    private static final String SECRET = "a shared secret of enough length";

    @TempDir
    Path dir;

    @Test
    void signedRunThenWorkersRunsShowAndStop(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Path secret = dir.resolve("secret");
        Files.writeString(secret, SECRET + "\n");
        WorkerConfig workerConfig = WorkerConfig.builder(bootstrap)
                .topicPrefix(PREFIX)
                .workerId("host-a")
                .maxAgents(8)
                .secret(new ControlSigner(SECRET.getBytes(StandardCharsets.UTF_8)))
                .logDir(dir.resolve("logs"))
                .heartbeatInterval(Duration.ofMillis(500))
                .stopGrace(Duration.ofSeconds(3))
                .build();
        Path workload = dir.resolve("w.yaml");
        Files.writeString(workload, """
                name: fleet-run
                topics: 1
                messageSize: 1024
                subscriptionsPerTopic: 1
                partitionsPerTopic: 2
                producersPerTopic: 1
                consumerPerSubscription: 1
                producerRate: 500
                warmupDurationSeconds: 1
                testDurationSeconds: 4
                statsWindowSeconds: 1
                """);
        try (Aggregator aggregator = new Aggregator(AggregatorConfig.of(bootstrap)
                        .withTopicPrefix(PREFIX)
                        .withMemberId("agg-1")
                        .withStateDir(dir.resolve("state"))
                        .withMetricsPort(-1)
                        .withSecret(new ControlSigner(SECRET.getBytes(StandardCharsets.UTF_8))));
                WorkerDaemon worker = new WorkerDaemon(workerConfig)) {
            aggregator.start();
            worker.start();
            String[] cluster = {"-b", bootstrap, "--topic-prefix", PREFIX};

            InProcessCli.Output workers = awaitLive(cluster);
            assertTrue(workers.out().contains("host-a") && workers.out().contains("agg-1"), workers.out());

            InProcessCli.Output run = kbench(concat(
                    new String[] {
                        "run",
                        "--secret-file",
                        secret.toString(),
                        "-o",
                        dir.resolve("results").toString()
                    },
                    cluster,
                    new String[] {workload.toString()}));
            assertEquals(0, run.exit(), "a signed run completes on a daemon and an aggregator that verify signatures");
            Matcher runId = Pattern.compile("run (fleet-run-\\S+):").matcher(run.out());
            assertTrue(runId.find(), run.out());

            InProcessCli.Output runs = kbench(concat(new String[] {"runs"}, cluster));
            assertEquals(0, runs.exit());
            assertTrue(runs.out().contains(runId.group(1)) && runs.out().contains("COMPLETE"), runs.out());
            assertTrue(
                    runs.out().contains("DRIVER") && runs.out().contains("Kafka"), "the driver column: " + runs.out());

            Path shown = dir.resolve("shown");
            // With the secret, show reads the run's spec back only if it is genuinely signed.
            InProcessCli.Output show = kbench(concat(
                    new String[] {"show", "--secret-file", secret.toString(), "-o", shown.toString()},
                    cluster,
                    new String[] {runId.group(1)}));
            assertEquals(0, show.exit(), show.out());
            try (Stream<Path> files = Files.list(shown)) {
                assertTrue(
                        files.anyMatch(f -> f.getFileName().toString().startsWith("fleet-run-")),
                        "show rewrites the result file from Kafka");
            }
            // Shown again, with --report: the same file is reused (no second name, no second CSV row).
            InProcessCli.Output again = kbench(concat(
                    new String[] {"show", "--report", "--secret-file", secret.toString(), "-o", shown.toString()},
                    cluster,
                    new String[] {runId.group(1)}));
            assertEquals(0, again.exit(), again.out());
            assertTrue(again.out().contains("already written"), again.out());
            try (Stream<Path> files = Files.list(shown)) {
                List<String> names =
                        files.map(f -> f.getFileName().toString()).sorted().toList();
                assertEquals(1, names.stream().filter(n -> n.endsWith(".json")).count(), names.toString());
                assertEquals(
                        1,
                        names.stream().filter(n -> n.endsWith("-report.html")).count(),
                        names.toString());
            }
            assertEquals(
                    2, Files.readAllLines(shown.resolve("kbench-results.csv")).size(), "header and one row");

            InProcessCli.Output stop = kbench(concat(new String[] {"stop"}, cluster, new String[] {runId.group(1)}));
            assertEquals(0, stop.exit());
            assertTrue(stop.out().contains("already ended (COMPLETE)"), stop.out());
            InProcessCli.Output unknown = kbench(concat(new String[] {"stop"}, cluster, new String[] {"no-such-run"}));
            assertEquals(2, unknown.exit(), "a run id nobody knows is bad input");
            assertTrue(unknown.err().contains("no run no-such-run on "), unknown.err());

            InProcessCli.Output unsigned = kbench(concat(
                    new String[] {
                        "run",
                        "--ready-timeout",
                        "8",
                        "-o",
                        dir.resolve("unsigned").toString()
                    },
                    cluster,
                    new String[] {workload.toString()}));
            assertEquals(1, unsigned.exit(), "an unsigned run is rejected by the daemon");
            assertTrue(unsigned.out().contains("BAD_SIGNATURE"), unsigned.out());
        }
    }

    private static InProcessCli.Output awaitLive(String[] cluster) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        InProcessCli.Output workers;
        do {
            workers = kbench(concat(new String[] {"workers"}, cluster));
        } while (!(workers.out().contains("host-a") && workers.out().contains("agg-1"))
                && System.nanoTime() < deadline);
        return workers;
    }

    private static String[] concat(String[]... parts) {
        return Stream.of(parts).flatMap(Stream::of).toArray(String[]::new);
    }
}
