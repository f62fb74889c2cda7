package io.kbench.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.controller.command.KbenchMain;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberHealth;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.protocol.topic.TopicEnsurer;
import io.kbench.worker.WorkerConfig;
import io.kbench.worker.WorkerDaemon;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A fleet that cannot run the benchmark is reported in one clear line with exit code 2, quickly. */
@ExtendWith(KafkaClusterExtension.class)
class FleetErrorsIT {

    @TempDir
    Path dir;

    record Result(int exit, String err, long millis) {}

    private Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = KbenchMain.commandLine();
        cli.setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int exit = cli.execute(args);
        return new Result(exit, err.toString(), (System.nanoTime() - start) / 1_000_000);
    }

    private Path workload() throws Exception {
        Path file = dir.resolve("w.yaml");
        Files.writeString(
                file,
                "name: w\ntopics: 1\npartitionsPerTopic: 2\nmessageSize: 100\n"
                        + "producersPerTopic: 1\nproducerRate: 100\ntestDurationSeconds: 5\n");
        return file;
    }

    private static void assertOneClearLine(Result result, String fragment) {
        assertEquals(2, result.exit(), result.err());
        assertTrue(result.err().contains(fragment), result.err());
        assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
    }

    @Test
    void noLiveWorker(KafkaCluster kafka) throws Exception {
        Result result = run(
                "run",
                "-b",
                kafka.bootstrapServers(),
                "--topic-prefix",
                "noworker",
                workload().toString());
        assertOneClearLine(result, "no live worker");
        assertTrue(result.err().contains("kbench worker --bootstrap-server"), "says what to do: " + result.err());
    }

    @Test
    void noLiveAggregator(KafkaCluster kafka) throws Exception {
        WorkerConfig config = WorkerConfig.builder(kafka.bootstrapServers())
                .topicPrefix("noagg")
                .workerId("w1")
                .maxAgents(4)
                .logDir(dir.resolve("logs"))
                .heartbeatInterval(Duration.ofMillis(500))
                .stopGrace(Duration.ofSeconds(2))
                .build();
        try (WorkerDaemon worker = new WorkerDaemon(config)) {
            worker.start();
            Result result = run(
                    "run",
                    "-b",
                    kafka.bootstrapServers(),
                    "--topic-prefix",
                    "noagg",
                    workload().toString());
            assertOneClearLine(result, "no live aggregator");
        }
    }

    /**
     * A worker whose control loop died keeps heartbeating, now saying it is unhealthy: {@code kbench workers}
     * shows why, and a run is never planned onto it (one line, exit 2) instead of failing at the ready timeout.
     */
    @Test
    @Timeout(60)
    void aDeafWorkerIsShownUnhealthyAndNeverPlannedOnto(KafkaCluster kafka) throws Exception {
        String prefix = "deaf";
        KbenchTopics topics = new KbenchTopics(prefix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicEnsurer(admin, Duration.ofSeconds(15)).ensure(topics.all());
        }
        MessageCodec codec = new MessageCodec(Clock.systemUTC());
        long now = System.currentTimeMillis();
        MemberHeartbeat deaf = new MemberHeartbeat(
                "w-deaf",
                MemberRole.WORKER,
                "host-d",
                2,
                1L << 30,
                8,
                0,
                "test",
                now,
                2000,
                new MemberHealth(
                        MemberHealth.State.UNHEALTHY,
                        "control loop stopped: TopicAuthorizationException: Not authorized to access topics: [deaf.control]",
                        now,
                        0),
                null);
        try (KafkaProducer<String, byte[]> producer =
                KafkaClients.controlProducer(kafka.bootstrapServers(), Map.of())) {
            producer.send(new ProducerRecord<>(topics.registry(), "w-deaf", codec.encode(null, deaf, null)))
                    .get(10, TimeUnit.SECONDS);
        }

        CommandLine cli = KbenchMain.commandLine();
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream listing = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(listing, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, cli.execute("workers", "-b", kafka.bootstrapServers(), "--topic-prefix", prefix));
        } finally {
            System.setOut(saved);
        }
        String workers = listing.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(workers.contains("w-deaf") && workers.contains("unhealthy (control loop stopped:"), workers);

        Result result = run(
                "run",
                "-b",
                kafka.bootstrapServers(),
                "--topic-prefix",
                prefix,
                workload().toString());
        assertOneClearLine(
                result,
                "no healthy worker on " + kafka.bootstrapServers() + ": w-deaf unhealthy (control loop stopped:"
                        + " TopicAuthorizationException");
        assertTrue(result.millis() < 20_000, "answered in " + result.millis() + " ms, not at the ready timeout");
    }

    @Test
    @Timeout(60)
    void unreachableBootstrapIsAnsweredWithin15SecondsByRunWorkerAndAggregator() throws Exception {
        String expected = "no Kafka broker answered at 127.0.0.1:1 (--bootstrap-server) within 10 s";
        Result run = run("run", "-b", "127.0.0.1:1", workload().toString());
        assertOneClearLine(run, expected);
        assertTrue(run.millis() < 15_000, "answered in " + run.millis() + " ms");

        Result worker = run("worker", "-b", "127.0.0.1:1", "--worker-id", "w-unreachable", "--log-dir", dir.toString());
        assertOneClearLine(worker, "kbench worker: " + expected);
        assertTrue(worker.millis() < 15_000, "answered in " + worker.millis() + " ms");

        Result aggregator = run("aggregator", "-b", "127.0.0.1:1", "--metrics-port", "-1");
        assertOneClearLine(aggregator, "kbench aggregator: " + expected);
        assertTrue(aggregator.millis() < 15_000, "answered in " + aggregator.millis() + " ms");
    }

    @Test
    @Timeout(60)
    void anUnresolvableHostIsNamedWithItsFlag() throws Exception {
        for (String command : new String[] {"run", "worker", "aggregator"}) {
            Result result = command.equals("run")
                    ? run("run", "-b", "no-such-host.invalid:9092", workload().toString())
                    : run(command, "-b", "no-such-host.invalid:9092");
            assertOneClearLine(
                    result,
                    "cannot resolve host 'no-such-host.invalid' of --bootstrap-server no-such-host.invalid:9092");
        }
    }

    @Test
    @Timeout(60)
    void anIncompleteSaslConfigNamesTheMissingSetting(KafkaCluster kafka) throws Exception {
        Path config = Files.writeString(
                dir.resolve("sasl.properties"), "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\n");
        for (String command : new String[] {"runs", "worker", "aggregator"}) {
            Result result = run(command, "-b", kafka.bootstrapServers(), "--command-config", config.toString());
            assertOneClearLine(
                    result,
                    "--command-config " + config + ": security.protocol=SASL_PLAINTEXT with"
                            + " sasl.mechanism=SCRAM-SHA-256 needs sasl.jaas.config");
        }
    }
}
