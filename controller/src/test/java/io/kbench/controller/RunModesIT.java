package io.kbench.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kbench.controller.command.KbenchMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps, backlog mode and max-rate discovery, end to end on an embedded broker with real agent JVMs. */
class RunModesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path workload(String text) throws Exception {
        Path file = dir.resolve("w-" + System.nanoTime() + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void sweepSummaryMatchesTheFormulasAppliedToTheRunsOwnSummaries() throws Exception {
        Path w = workload("""
                name: scaling
                topics: 1
                subscriptionsPerTopic: 1
                partitionsPerTopic: 4
                messageSize: 256
                producersPerTopic: 1
                consumerPerSubscription: 1
                producerRate: 1000
                statsWindowSeconds: 2
                """);
        Path out = dir.resolve("sweep");

        int exit = KbenchMain.commandLine()
                .execute(
                        "sweep",
                        "--local",
                        "--producers",
                        "1,2",
                        "--consumers",
                        "1",
                        "--rate-per-producer",
                        "1000",
                        "--duration",
                        "6",
                        "--warmup",
                        "1",
                        "-o",
                        out.toString(),
                        w.toString());

        assertEquals(0, exit);
        JsonNode sweep = JSON.readTree(only(out, "sweep-", ".json").toFile());
        JsonNode points = sweep.get("points");
        assertEquals(2, points.size());
        List<JsonNode> runs = new ArrayList<>();
        for (JsonNode point : points) {
            runs.add(resultOf(out, point.get("runId").asText()));
        }
        double t1 = runs.get(0).get("kbench").get("rates").get("publishRate").asDouble();
        double t2 = runs.get(1).get("kbench").get("rates").get("publishRate").asDouble();
        double p1 = runs.get(0)
                .get("kbench")
                .get("latencies")
                .get("publishLatencyMicros")
                .get("p99")
                .asDouble();
        double p2 = runs.get(1)
                .get("kbench")
                .get("latencies")
                .get("publishLatencyMicros")
                .get("p99")
                .asDouble();
        double cpu2 = runs.get(1).get("kbench").get("cpuPercent").asDouble();
        JsonNode second = points.get(1);
        assertEquals(2.0, second.get("scale").asDouble());
        assertEquals((t2 / t1) / 2.0, second.get("throughputEfficiency").asDouble(), 1e-6);
        assertEquals((p2 - p1) / p1, second.get("latencyGrowth").asDouble(), 1e-6);
        assertEquals(t2 / cpu2, second.get("msgPerCpuPercent").asDouble(), 1e-6);
        assertEquals(1.0, points.get(0).get("throughputEfficiency").asDouble(), 1e-9, "the base point is 100 %");
        assertTrue(Files.exists(only(out, "sweep-", ".csv")));
    }

    @Test
    void backlogIsBuiltWhileConsumersArePausedThenDrained() throws Exception {
        // 4 MiB of 1 KiB messages = 4,096 messages; at 2,000 msg/s about 2 s to build. Default 10 s stats windows.
        Path w = workload("""
                name: backlog
                topics: 1
                subscriptionsPerTopic: 1
                partitionsPerTopic: 2
                messageSize: 1024
                producersPerTopic: 1
                consumerPerSubscription: 1
                producerRate: 2000
                consumerBacklogSizeGB: 0.00390625
                backlogDrainRatio: 1.0
                warmupDurationSeconds: 2
                testDurationSeconds: 4
                """);
        Path out = dir.resolve("backlog");

        int exit = KbenchMain.commandLine()
                .execute(
                        "local",
                        "-o",
                        out.toString(),
                        "--log-dir",
                        dir.resolve("logs").toString(),
                        w.toString());

        assertEquals(0, exit);
        JsonNode backlog =
                JSON.readTree(only(out, "w-", ".json").toFile()).get("kbench").get("backlog");
        assertEquals(4096, backlog.get("targetMessages").asLong());
        assertTrue(backlog.get("reachedMessages").asLong() >= 4096, backlog.toString());
        assertEquals(0, backlog.get("receivedWhilePaused").asLong(), "consumers received nothing while paused");
        assertTrue(backlog.get("completed").asBoolean(), "drained: " + backlog);
        assertTrue(backlog.get("drainConsumeRate").asDouble() > 2000, "draining outpaces producing: " + backlog);
        // Timed by the agents' 1 s reports, not by the default 10 s stats windows.
        assertTrue(backlog.get("drainResolutionSeconds").asDouble() <= 2.0, "to a report interval: " + backlog);
        assertTrue(
                backlog.get("drainSeconds").asDouble() <= 5.0,
                "4,096 messages drain in well under a window: " + backlog);
    }

    @Test
    void maxRateDiscoveryProbesHoldsAndRecordsTheRate() throws Exception {
        Path w = workload("""
                name: discover
                topics: 1
                subscriptionsPerTopic: 1
                partitionsPerTopic: 4
                messageSize: 1024
                producersPerTopic: 1
                consumerPerSubscription: 1
                producerRate: 0
                warmupDurationSeconds: 8
                testDurationSeconds: 16
                statsWindowSeconds: 2
                """);
        Path out = dir.resolve("discover");

        int exit = KbenchMain.commandLine()
                .execute(
                        "local",
                        "-o",
                        out.toString(),
                        "--log-dir",
                        dir.resolve("logs").toString(),
                        w.toString());

        assertEquals(0, exit);
        JsonNode kbench = JSON.readTree(only(out, "w-", ".json").toFile()).get("kbench");
        assertEquals("kept", kbench.get("agentC2AfterWarmup").asText(), "discovery measures the compiled code's speed");
        double discovered = kbench.get("discoveredRate").asDouble();
        JsonNode discovery = kbench.get("maxRateDiscovery");
        double estimate = discovery.get("unthrottledEstimate").asDouble();
        assertTrue(estimate > 0, "the probe measured the unthrottled rate");
        assertTrue(
                discovered > 0.5 * estimate && discovered < 1.15 * estimate,
                "discovered " + discovered + " vs unthrottled " + estimate);
        List<String> decisions = new ArrayList<>();
        discovery.get("trace").forEach(p -> decisions.add(p.get("decision").asText()));
        assertTrue(
                decisions.contains("probe") && decisions.stream().anyMatch(d -> !d.equals("probe")),
                "probe then hold: " + decisions);
        double achieved = kbench.get("rates").get("publishRate").asDouble();
        assertTrue(achieved > 0.5 * discovered, "producers ran near the discovered rate: " + achieved);
    }

    private static Path only(Path dir, String prefix, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith(prefix)
                            && f.getFileName().toString().endsWith(suffix))
                    .toList();
            assertEquals(1, found.size(), "one " + prefix + "*" + suffix + " in " + dir + ": " + found);
            return found.get(0);
        }
    }

    private static JsonNode resultOf(Path dir, String runId) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode node = JSON.readTree(file.toFile());
                if (node.has("kbench")
                        && runId.equals(node.get("kbench").get("runId").asText())) {
                    return node;
                }
            }
        }
        throw new AssertionError("no result file for run " + runId + " in " + dir);
    }
}
