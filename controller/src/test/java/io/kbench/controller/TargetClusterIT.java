package io.kbench.controller;

import static io.kbench.controller.InProcessCli.kbench;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbench.aggregator.Aggregator;
import io.kbench.aggregator.AggregatorConfig;
import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.worker.WorkerConfig;
import io.kbench.worker.WorkerDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the load goes: {@code kbench local --target-bootstrap} loads the named cluster (not the embedded broker),
 * an unreachable cluster under test is named with where its address came from, and a message the broker would
 * refuse is rejected before any topic or agent exists.
 */
@ExtendWith(KafkaClusterExtension.class)
class TargetClusterIT {

    @TempDir
    Path dir;

    private Path workload(String name, int messageSize) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                topics: 1
                partitionsPerTopic: 2
                messageSize: %d
                subscriptionsPerTopic: 1
                consumerPerSubscription: 1
                producersPerTopic: 1
                producerRate: 500
                warmupDurationSeconds: 1
                testDurationSeconds: 4
                statsWindowSeconds: 1
                """.formatted(name, messageSize));
        return file;
    }

    private static Set<String> topics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void localRunLoadsTheClusterNamedByTargetBootstrap(KafkaCluster target) throws Exception {
        Path results = dir.resolve("results");

        InProcessCli.Output run = kbench(
                "local",
                "-o",
                results.toString(),
                "--log-dir",
                dir.resolve("logs").toString(),
                "--target-bootstrap",
                target.bootstrapServers(),
                "--keep-topics",
                workload("elsewhere", 256).toString());

        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(
                run.out().contains("cluster under test: " + target.bootstrapServers() + " (from --target-bootstrap)"),
                run.out());
        JsonNode result = LocalRunIT.onlyResult(results, "elsewhere-Kafka-");
        String runId = result.get("kbench").get("runId").asText();
        assertTrue(
                topics(target.bootstrapServers()).contains("kbench-" + runId + "-0"),
                "the benchmark topic is on the named cluster: " + topics(target.bootstrapServers()));
        assertTrue(result.get("kbench").get("messagesReceived").asLong() > 0, "the load ran there");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void targetProblemsAreReportedBeforeAnyAgentStarts(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        String prefix = "target";
        WorkerConfig workerConfig = new WorkerConfig(
                bootstrap,
                Map.of(),
                prefix,
                "w1",
                8,
                Optional.empty(),
                null,
                null,
                -1,
                dir.resolve("logs"),
                Duration.ofMillis(500),
                Duration.ofSeconds(2));
        try (Aggregator aggregator = new Aggregator(AggregatorConfig.of(bootstrap)
                        .withTopicPrefix(prefix)
                        .withMemberId("agg")
                        .withStateDir(dir.resolve("state"))
                        .withMetricsPort(-1));
                WorkerDaemon worker = new WorkerDaemon(workerConfig)) {
            aggregator.start();
            worker.start();
            String[] cluster = {"-b", bootstrap, "--topic-prefix", prefix};
            awaitLive(cluster);

            // The README's own-cluster command with a driver whose bootstrap.servers points nowhere.
            Path driver = dir.resolve("driver.yaml");
            Files.writeString(driver, """
                    name: Kafka
                    replicationFactor: 1
                    commonConfig: |
                      request.timeout.ms=30000
                      bootstrap.servers=127.0.0.1:1
                    """);
            InProcessCli.Output unreachable = kbench(
                    "run",
                    "-b",
                    bootstrap,
                    "--topic-prefix",
                    prefix,
                    "-d",
                    driver.toString(),
                    workload("w", 100).toString());
            assertEquals(2, unreachable.exit(), unreachable.err());
            assertTrue(unreachable.err().contains("127.0.0.1:1 did not answer"), unreachable.err());
            assertTrue(unreachable.err().contains(driver + ":5"), "names the driver's line: " + unreachable.err());
            assertTrue(unreachable.err().contains("--target-bootstrap"), "names the override: " + unreachable.err());

            // 2 MB fits a raised max.request.size but not the broker's default message.max.bytes.
            Path bigDriver = dir.resolve("large-driver.yaml");
            Files.writeString(bigDriver, """
                    name: Kafka
                    producerConfig: |
                      max.request.size=10485760
                    """);
            Set<String> before = topics(bootstrap);
            InProcessCli.Output tooBig = kbench(
                    "run",
                    "-b",
                    bootstrap,
                    "--topic-prefix",
                    prefix,
                    "-d",
                    bigDriver.toString(),
                    workload("big", 2_000_000).toString());
            assertEquals(2, tooBig.exit(), tooBig.out() + tooBig.err());
            assertTrue(
                    tooBig.err().contains("messageSize 2000000 does not fit the broker's message.max.bytes 1048588"),
                    tooBig.err());
            assertTrue(tooBig.err().contains("the largest that fits is"), tooBig.err());
            assertEquals(before, topics(bootstrap), "no benchmark topic was created");
            assertEquals(0, worker.runningAgents());
            assertFalse(tooBig.out().contains("agents ready"), tooBig.out());
        }
    }

    private static void awaitLive(String[] cluster) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String[] args = new String[cluster.length + 1];
        args[0] = "workers";
        System.arraycopy(cluster, 0, args, 1, cluster.length);
        InProcessCli.Output workers;
        do { // each call reads the registry for a while: no sleep needed between them
            workers = kbench(args);
        } while (!(workers.out().contains("w1") && workers.out().contains("agg")) && System.nanoTime() < deadline);
        assertTrue(workers.out().contains("w1") && workers.out().contains("agg"), "registered: " + workers.out());
    }
}
