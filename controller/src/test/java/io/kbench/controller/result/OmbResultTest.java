package io.kbench.controller.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.Rates;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.message.Workload;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class OmbResultTest {

    @Test
    void writesOmbUnitsMillisForLatencyAndWholeMicrosForDelay() {
        Histogram publish = HistogramCodec.newHistogram();
        Histogram delay = HistogramCodec.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            publish.recordValue(i * 10L); // 10 µs .. 10 ms
            delay.recordValue(i);
        }
        LatencyStats publishStats = HistogramCodec.stats(publish);
        LatencyStats delayStats = HistogramCodec.stats(delay);
        WindowSummary window = new WindowSummary(
                "r",
                0,
                10_000,
                Phase.MEASURE,
                new Rates(1000, 0, 990, 1.0, 0.99),
                10_000,
                9_900,
                0,
                100,
                Map.of(LatencyKind.PUBLISH_LATENCY, publishStats, LatencyKind.PUBLISH_DELAY, delayStats),
                Map.of(),
                Map.of(),
                12.5,
                2,
                true);
        RunSummary summary = new RunSummary(
                "r",
                "w",
                "Kafka",
                null,
                null,
                RunStatus.COMPLETE,
                List.of(),
                0,
                10_000,
                window.rates(),
                10_000,
                10_240_000,
                0,
                Map.of(),
                9_900,
                10_137_600,
                0,
                100,
                Map.of(LatencyKind.PUBLISH_LATENCY, publishStats, LatencyKind.PUBLISH_DELAY, delayStats),
                Map.of(
                        LatencyKind.PUBLISH_LATENCY,
                        HistogramCodec.encode(publish),
                        LatencyKind.PUBLISH_DELAY,
                        HistogramCodec.encode(delay)),
                List.of(window),
                Map.of(),
                Map.of(),
                12.5,
                2,
                1,
                null,
                List.of());
        RunSpec spec = spec(10);

        Map<String, Object> result = OmbResult.build(spec, summary, Map.of());

        assertEquals(publishStats.p99() / 1000.0, (double) result.get("aggregatedPublishLatency99pct"), 1e-9);
        assertEquals(Math.round(delayStats.p99()), result.get("aggregatedPublishDelayLatency99pct"));
        assertEquals(List.of(1000.0), result.get("publishRate"));
        assertEquals(List.of(100L), result.get("backlog"));
        @SuppressWarnings("unchecked")
        Map<Double, Object> quantiles = (Map<Double, Object>) result.get("aggregatedPublishLatencyQuantiles");
        assertEquals(publish.getValueAtPercentile(50) / 1000.0, (double) quantiles.get(50.0), 1e-9);
        assertTrue(quantiles.containsKey(99.999));
        @SuppressWarnings("unchecked")
        Map<String, String> kept =
                (Map<String, String>) ((Map<String, Object>) result.get("kbench")).get("histogramsMicros");
        assertEquals(publish, HistogramCodec.decode(kept.get("publishLatency")), "the merged histogram, kept whole");
        assertEquals(1, result.get("consumersPerTopic"));
    }

    @Test
    void publishDelayAverageIsInMicrosLikeItsPercentiles() {
        Histogram delay = HistogramCodec.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            delay.recordValue(i * 3L); // 3 µs .. 3 ms: a mean of about 1.5 ms, 1501.5 µs
        }
        LatencyStats delayStats = HistogramCodec.stats(delay);
        WindowSummary window = window(0, 10_000, Map.of(LatencyKind.PUBLISH_DELAY, delayStats));
        RunSummary summary = summary(List.of(window), Map.of(LatencyKind.PUBLISH_DELAY, delayStats));

        Map<String, Object> result = OmbResult.build(spec(10), summary, Map.of());

        double avg = (double) result.get("aggregatedPublishDelayLatencyAvg");
        assertEquals(delayStats.mean(), avg, 1e-9, "µs, not ms");
        assertTrue(avg > 1000, "a mean of about 1500 µs, got " + avg);
        assertEquals(List.of(delayStats.mean()), result.get("publishDelayLatencyAvg"));
        // The other latencies stay in ms.
        assertEquals(Math.round(delayStats.p50()), result.get("aggregatedPublishDelayLatency50pct"));
    }

    @Test
    void seriesHoldOnlyFullWindowsAndTheKbenchSectionTimesThem() {
        WindowSummary first = window(100_000, 110_000, Map.of());
        WindowSummary second = window(110_000, 120_000, Map.of());
        WindowSummary lastPartial = window(120_000, 123_500, Map.of());
        RunSummary summary = summary(List.of(first, second, lastPartial), Map.of());

        Map<String, Object> result = OmbResult.build(spec(10), summary, Map.of());

        assertEquals(List.of(1000.0, 1000.0), result.get("publishRate"));
        assertEquals(2, ((List<?>) result.get("consumeRate")).size());
        assertEquals(2, ((List<?>) result.get("backlog")).size());
        assertEquals(2, ((List<?>) result.get("publishLatency99pct")).size());
        assertEquals(2, ((List<?>) result.get("endToEndLatencyAvg")).size());
        @SuppressWarnings("unchecked")
        Map<String, Object> kbench = (Map<String, Object>) result.get("kbench");
        assertEquals(10, kbench.get("windowSeconds"));
        assertEquals(
                List.of(
                        Map.of("start", 100_000L, "lengthMs", 10_000L, "phase", "MEASURE"),
                        Map.of("start", 110_000L, "lengthMs", 10_000L, "phase", "MEASURE")),
                timing(kbench.get("windows")));
        assertEquals(
                List.of(Map.of("start", 120_000L, "lengthMs", 3_500L, "phase", "MEASURE")),
                timing(kbench.get("windowsLeftOut")));
        @SuppressWarnings("unchecked")
        Map<String, Object> firstEntry = ((List<Map<String, Object>>) kbench.get("windows")).get(0);
        assertEquals(1.0, firstEntry.get("cpuPercent"));
        assertEquals(Map.of("50pct", 0.0, "99pct", 0.0, "999pct", 0.0), firstEntry.get("intendedLatencyMillis"));
        // The totals still count the short window.
        assertEquals(10_000L, kbench.get("messagesSent"));
    }

    /** Each window entry's timing fields. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> timing(Object entries) {
        return ((List<Map<String, Object>>) entries)
                .stream()
                        .map(e ->
                                Map.of("start", e.get("start"), "lengthMs", e.get("lengthMs"), "phase", e.get("phase")))
                        .toList();
    }

    private static WindowSummary window(long start, long end, Map<LatencyKind, LatencyStats> latencies) {
        return new WindowSummary(
                "r",
                start,
                end,
                Phase.MEASURE,
                new Rates(1000, 0, 990, 1.0, 0.99),
                1000,
                990,
                0,
                10,
                latencies,
                Map.of(),
                Map.of(),
                1.0,
                2,
                false);
    }

    private static RunSummary summary(List<WindowSummary> windows, Map<LatencyKind, LatencyStats> latencies) {
        return Summaries.complete(windows, latencies, List.of());
    }

    private static RunSpec spec(int windowSeconds) {
        Workload workload = Workload.builder()
                .name("w")
                .topics(1)
                .partitionsPerTopic(16)
                .messageSize(1024)
                .subscriptionsPerTopic(1)
                .producersPerTopic(1)
                .consumerPerSubscription(1)
                .producerRate(1000.0)
                .testDurationSeconds(10)
                .warmupDurationSeconds(0)
                .statsWindowSeconds(windowSeconds)
                .build();
        return new RunSpec(
                "w",
                "Kafka",
                workload,
                Map.of(),
                List.of("p0", "c0-0-0"),
                Map.of(),
                List.of("t"),
                1,
                0,
                10_000,
                1000,
                windowSeconds,
                null,
                null,
                0);
    }
}
