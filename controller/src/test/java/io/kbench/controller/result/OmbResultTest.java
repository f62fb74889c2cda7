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
        Workload workload = new Workload(
                "w", 1, 16, null, 1024, null, null, null, null, 1, 1, 1, 1000.0, null, null, null, null, 10, 0, null,
                null, null);
        RunSpec spec = new RunSpec(
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
                10,
                null,
                null,
                0);

        Map<String, Object> result = OmbResult.build(spec, summary, Map.of());

        assertEquals(publishStats.p99() / 1000.0, (double) result.get("aggregatedPublishLatency99pct"), 1e-9);
        assertEquals(Math.round(delayStats.p99()), result.get("aggregatedPublishDelayLatency99pct"));
        assertEquals(List.of(1000.0), result.get("publishRate"));
        assertEquals(List.of(100L), result.get("backlog"));
        @SuppressWarnings("unchecked")
        Map<Double, Object> quantiles = (Map<Double, Object>) result.get("aggregatedPublishLatencyQuantiles");
        assertEquals(publish.getValueAtPercentile(50) / 1000.0, (double) quantiles.get(50.0), 1e-9);
        assertTrue(quantiles.containsKey(99.999));
        assertEquals(1, result.get("consumersPerTopic"));
    }
}
