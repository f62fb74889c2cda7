package io.kbench.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.topic.KbenchTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults mid-run, with every process real (see {@link RealFleet}). A run that lost part of its fleet must end
 * INCOMPLETE, exit 1, name the worker, keep what was measured, and stop the rest of the fleet promptly.
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultsIT {

    @TempDir
    Path dir;

    private RealFleet fleet;

    @BeforeEach
    void fleet(KafkaCluster kafka, TestInfo test) throws Exception {
        String prefix = "faults-" + test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT);
        fleet = new RealFleet(kafka.bootstrapServers(), dir, prefix);
    }

    @AfterEach
    void teardown() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void daemonKilledMidRunIsIncompleteAndNamesTheWorker(KafkaCluster kafka) throws Exception {
        RealFleet.Cli cli = fleet.runUntilMeasuring(kafka.bootstrapServers(), "fault-daemon-kill", 30);
        fleet.daemon.destroyForcibly(); // SIGKILL: the daemon says nothing; its agents see their stdin close
        assertFinishedIncompleteNaming(cli, "DAEMON_GONE");
    }

    @Test
    void daemonTerminatedMidRunIsIncompleteAndNamesTheWorker(KafkaCluster kafka) throws Exception {
        RealFleet.Cli cli = fleet.runUntilMeasuring(kafka.bootstrapServers(), "fault-daemon-term", 30);
        fleet.daemon.destroy(); // SIGTERM: an orderly shutdown of the daemon still cuts the run short
        assertFinishedIncompleteNaming(cli, null);
    }

    @Test
    void agentKilledStopsTheRunWithinTwoSeconds(KafkaCluster kafka) throws Exception {
        RealFleet.Cli cli = fleet.runUntilMeasuring(kafka.bootstrapServers(), "fault-agent-kill", 30);
        List<ProcessHandle> agents = fleet.daemon.descendants().toList();
        assertEquals(2, agents.size(), "one JVM per producer and consumer: " + agents);
        ProcessHandle victim = agents.get(0);
        long killedAt = System.currentTimeMillis();
        victim.destroyForcibly();

        JsonNode result = assertFinishedIncompleteNaming(cli, null);
        long stopAt = stopRunTime(kafka, cli.runId(), StopRun.Reason.ABORTED)
                .orElseThrow(() -> new AssertionError("no StopRun(ABORTED) on the control topic:\n" + cli.output()));
        assertTrue(stopAt - killedAt <= 2_000, "StopRun " + (stopAt - killedAt) + " ms after the kill");
        ProcessHandle survivor = agents.get(1);
        assertTrue(
                survivor.onExit()
                                        .completeOnTimeout(survivor, 5, TimeUnit.SECONDS)
                                        .get()
                                != null
                        && !survivor.isAlive(),
                "the other agent stops too");
        assertTrue(result.get("kbench").get("messagesSent").asLong() > 0, "what was measured is kept");
    }

    private static JsonNode assertFinishedIncompleteNaming(RealFleet.Cli cli, String cause) throws Exception {
        assertTrue(cli.process.waitFor(90, TimeUnit.SECONDS), "kbench exits:\n" + cli.output());
        assertEquals(1, cli.process.exitValue(), "an incomplete run exits 1:\n" + cli.output());
        JsonNode kbench = LocalRunIT.onlyResult(cli.results, "fault-").get("kbench");
        assertEquals("INCOMPLETE", kbench.get("status").asText(), cli.output());
        String reason = kbench.path("statusReason").asText("");
        assertTrue(reason.contains(RealFleet.WORKER), "the reason names the worker: " + reason);
        if (cause != null) {
            assertTrue(reason.contains(cause), "the reason says why: " + reason);
        }
        assertTrue(
                reason.matches(".*measured [0-9.]+ s of 30 s.*"), "the reason says how much was measured: " + reason);
        assertTrue(cli.output().contains(RealFleet.WORKER), "the CLI tells the user which worker:\n" + cli.output());
        return LocalRunIT.onlyResult(cli.results, "fault-");
    }

    /** The record time of the run's first StopRun with {@code reason} on the control topic. */
    private Optional<Long> stopRunTime(KafkaCluster kafka, String runId, StopRun.Reason reason) {
        MessageCodec codec = new MessageCodec();
        String control = new KbenchTopics(fleet.prefix()).control();
        try (KafkaConsumer<String, byte[]> reader = KafkaClients.readerConsumer(kafka.bootstrapServers(), Map.of())) {
            TopicPartition partition = new TopicPartition(control, 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            long end = reader.endOffsets(List.of(partition)).get(partition);
            while (reader.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
                    if (runId.equals(record.key())
                            && codec.decode(record.value()) instanceof Decoded.Ok ok
                            && ok.message() instanceof StopRun stop
                            && stop.reason() == reason) {
                        return Optional.of(record.timestamp());
                    }
                }
            }
        }
        return Optional.empty();
    }
}
