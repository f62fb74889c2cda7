package io.kbench.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.ConsumerTask;
import io.kbench.protocol.message.KeyDistributorType;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.MessageType;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.message.RateChange;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final MessageCodec codec = new MessageCodec(clock);

    @Test
    void roundTripsAnAssignmentWithItsTasks() {
        AgentTask producer = new ProducerTask(
                "w1-p0",
                "127.0.0.1:9092",
                Map.of("linger.ms", "5"),
                "bench-0",
                2500.0,
                4,
                1024,
                null,
                KeyDistributorType.KEY_ROUND_ROBIN,
                1000);
        AgentTask consumer =
                new ConsumerTask("w1-c0", "127.0.0.1:9092", Map.of(), List.of("bench-0"), "group-0", 4, 1000);
        RunAssignment assignment =
                new RunAssignment("a-1", "w1", List.of(producer, consumer), 1, List.of("-Xmx256m"), 1_764_000_000_000L);

        Decoded decoded = codec.decode(codec.encode("run-1", assignment, Duration.ofMinutes(1)));

        Decoded.Ok ok = assertInstanceOf(Decoded.Ok.class, decoded);
        assertEquals(assignment, ok.message());
        assertEquals("run-1", ok.envelope().runId());
        assertEquals("RunAssignment", ok.envelope().type());
        assertEquals(clock.millis() + 60_000, ok.envelope().expiresAt());
    }

    @Test
    void roundTripsStatsWithHistogramsKeyedByWireName() {
        StatsReport report = new StatsReport(
                "a",
                "w",
                AgentRole.CONSUMER,
                Phase.MEASURE,
                3,
                1,
                2,
                0,
                0,
                0,
                Map.of(),
                10,
                10_240,
                1,
                5,
                6,
                Map.of(LatencyKind.END_TO_END_LATENCY, "AAAA"),
                true,
                AgentStop.SCHEDULE_END,
                null,
                0,
                9L,
                null,
                null);
        byte[] bytes = codec.encode("r", report, null);

        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\"endToEndLatency\""));
        assertEquals(report, ((Decoded.Ok) codec.decode(bytes)).message());
    }

    @Test
    void encodesInOnePassTheBytesTheEnvelopePathWrites() throws Exception {
        StatsReport report = new StatsReport(
                "p1",
                "w1",
                AgentRole.PRODUCER,
                Phase.MEASURE,
                3,
                1_000,
                2_000,
                10,
                10_240,
                1,
                Map.of("TimeoutException", 1L),
                0,
                0,
                0,
                5,
                7,
                Map.of(LatencyKind.PUBLISH_LATENCY, "HISTOGRAM"),
                true,
                AgentStop.SCHEDULE_END,
                null,
                5L,
                11L,
                null,
                null);
        for (Duration ttl : java.util.Arrays.asList(null, Duration.ofSeconds(30))) {
            String direct = new String(codec.encode("r1", report, ttl), StandardCharsets.UTF_8);
            String viaTree = new String(codec.encode(codec.envelope("r1", report, ttl)), StandardCharsets.UTF_8);
            String directId = Json.WIRE.readTree(direct).get("id").asText();
            String treeId = Json.WIRE.readTree(viaTree).get("id").asText();
            assertEquals(viaTree.replace(treeId, "ID"), direct.replace(directId, "ID"));
        }
    }

    @Test
    void aStatsReportFromAnAgentBeforeCompileMillisReadsZero() {
        String json = new String(codec.encode("r1", reportCompiling(42L), null), StandardCharsets.UTF_8);
        String older = json.replaceAll("\"compileMillis\":42,?", "");
        assertFalse(older.contains("compileMillis"), older);

        byte[] bytes = older.getBytes(StandardCharsets.UTF_8);
        assertEquals(reportCompiling(0L), ((Decoded.Ok) codec.decode(bytes)).message());
        assertEquals(reportCompiling(0L), ((Decoded.Ok) codec.decodeLean(bytes)).message());
    }

    @Test
    void aStatsReportFromAnAgentBeforeGcTimeReadsZero() {
        String json = new String(codec.encode("r1", report(7L, 42L, 3L), null), StandardCharsets.UTF_8);
        String older = json.replaceAll("\"gcMillis\":42,?", "").replaceAll("\"gcCount\":3,?", "");
        assertFalse(older.contains("gcMillis") || older.contains("gcCount"), older);

        byte[] bytes = older.getBytes(StandardCharsets.UTF_8);
        assertEquals(report(7L, 0L, 0L), ((Decoded.Ok) codec.decode(bytes)).message());
        assertEquals(report(7L, 0L, 0L), ((Decoded.Ok) codec.decodeLean(bytes, MessageType.STATS_REPORT)).message());
    }

    @Test
    void aStartRunCarriesTheC2StopAndOneFromAnEarlierControllerKeepsC2() {
        StartRun stopping = new StartRun(1_000, 60_000, 30_000, 200_000, true);
        String json = new String(codec.encode("r1", stopping, null), StandardCharsets.UTF_8);
        assertEquals(stopping, ((Decoded.Ok) codec.decode(json.getBytes(StandardCharsets.UTF_8))).message());

        String older = json.replaceAll(",?\"stopC2AfterWarmup\":true", "");
        assertFalse(older.contains("stopC2AfterWarmup"), older);
        StartRun read = (StartRun) ((Decoded.Ok) codec.decode(older.getBytes(StandardCharsets.UTF_8))).message();
        assertFalse(read.stopsC2AfterWarmup());
        assertEquals(new StartRun(1_000, 60_000, 30_000, 200_000), read);
    }

    private static StatsReport reportCompiling(Long compileMillis) {
        return report(compileMillis, null, null);
    }

    private static StatsReport report(Long compileMillis, Long gcMillis, Long gcCount) {
        return new StatsReport(
                "p1",
                "w1",
                AgentRole.PRODUCER,
                Phase.MEASURE,
                3,
                1_000,
                2_000,
                10,
                10_240,
                0,
                Map.of(),
                0,
                0,
                0,
                5,
                7,
                Map.of(),
                false,
                null,
                null,
                0,
                compileMillis,
                gcMillis,
                gcCount);
    }

    @Test
    void skipsGarbageAsCorrupt() {
        Decoded.Skip skip =
                assertInstanceOf(Decoded.Skip.class, codec.decode("not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(SkipReason.CORRUPT, skip.reason());
        assertEquals(SkipReason.CORRUPT, ((Decoded.Skip) codec.decode((byte[]) null)).reason());
    }

    @Test
    void skipsUnknownTypeNewerVersionAndExpired() {
        Envelope good = codec.envelope("r", new RateChange(100), Duration.ofSeconds(10));
        Envelope unknown = new Envelope(1, "Teleport", "id", "r", 0, null, good.body(), null);
        Envelope newer = new Envelope(2, "RateChange", "id", "r", 0, null, good.body(), null);
        Envelope expired = new Envelope(1, "RateChange", "id", "r", 0, clock.millis() - 1, good.body(), null);

        assertEquals(SkipReason.UNKNOWN_TYPE, ((Decoded.Skip) codec.decode(unknown)).reason());
        assertEquals(SkipReason.NEWER_VERSION, ((Decoded.Skip) codec.decode(newer)).reason());
        assertEquals(SkipReason.EXPIRED, ((Decoded.Skip) codec.decode(expired)).reason());
    }

    @Test
    void skipsABodyOfTheWrongShapeAsCorrupt() {
        Envelope good = codec.envelope("r", new RateChange(100), null);
        ((ObjectNode) good.body()).put("totalRate", "fast");

        Decoded.Skip skip = assertInstanceOf(Decoded.Skip.class, codec.decode(codec.encode(good)));
        assertEquals(SkipReason.CORRUPT, skip.reason());
        assertTrue(skip.detail().contains("RateChange"), skip.detail());
    }

    @Test
    void toleratesFieldsAddedByANewerWriterOfTheSameVersion() {
        String json = "{\"v\":1,\"type\":\"RateChange\",\"id\":\"x\",\"sentAt\":1,"
                + "\"body\":{\"totalRate\":5.0,\"rampSeconds\":3},\"extra\":true}";
        Decoded.Ok ok = assertInstanceOf(Decoded.Ok.class, codec.decode(json));
        assertEquals(new RateChange(5.0), ok.message());
    }
}
