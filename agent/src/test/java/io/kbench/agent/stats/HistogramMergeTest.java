package io.kbench.agent.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StatsReport;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramMergeTest {

    private static final double[] PERCENTILES = {0, 10, 50, 75, 90, 95, 99, 99.9, 99.99, 100};

    /** Long-tailed latencies in µs: mostly a few ms, sometimes seconds. */
    private static long sample(SplittableRandom random) {
        return random.nextInt(100) == 0 ? 500_000 + random.nextInt(3_000_000) : random.nextInt(20_000);
    }

    @Test
    void mergingTwoAgentsReportsGivesExactlyThePercentilesOfAllSamples() {
        AgentStats a = new AgentStats(AgentRole.CONSUMER);
        AgentStats b = new AgentStats(AgentRole.CONSUMER);
        Histogram all = HistogramCodec.newHistogram();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 50_000; i++) {
            long value = sample(random);
            (i % 3 == 0 ? a : b).recordReceived(100, value);
            all.recordValue(value);
        }
        CpuMeter cpu = new CpuMeter();
        IntervalCutter cutA = new IntervalCutter("c0", "w1", a, cpu, 1, 1000, 0, Phase.MEASURE);
        IntervalCutter cutB = new IntervalCutter("c1", "w2", b, cpu, 1, 1000, 0, Phase.MEASURE);

        Histogram merged = HistogramCodec.newHistogram();
        for (StatsReport report : List.of(cutA.cut(1000, 1000), cutB.cutLast(1000, StopCause.scheduleEnd(1000)))) {
            HistogramCodec.merge(
                    merged, HistogramCodec.decode(report.histograms().get(LatencyKind.END_TO_END_LATENCY)));
        }

        assertEquals(all.getTotalCount(), merged.getTotalCount());
        for (double percentile : PERCENTILES) {
            assertEquals(
                    all.getValueAtPercentile(percentile), merged.getValueAtPercentile(percentile), "p" + percentile);
        }
        assertEquals(all.getMaxValue(), merged.getMaxValue());
        assertEquals(HistogramCodec.stats(all), HistogramCodec.stats(merged));
    }

    @Test
    void intervalsHoldOnlyTheirOwnSamplesAndCountersAreDeltas() {
        AgentStats stats = new AgentStats(AgentRole.PRODUCER);
        IntervalCutter cutter = new IntervalCutter("p0", "w1", stats, new CpuMeter(), 2, 1000, 0, Phase.WARMUP);
        // intended at 0, sent at 1 ms, acked at 3 ms (nanoTime readings)
        stats.recordAck(100, 0, 1_000_000, 3_000_000);
        stats.recordSendError(new org.apache.kafka.common.errors.TimeoutException("t"));

        StatsReport first = cutter.cut(1000, 1000);
        stats.recordAck(100, 0, 0, 5_000_000);
        StatsReport second = cutter.cutLast(2000, StopCause.scheduleEnd(2000));

        assertEquals(1, first.messagesSent());
        assertEquals(100, first.bytesSent());
        assertEquals(1, first.sendErrors());
        assertEquals(java.util.Map.of("TimeoutException", 1L), first.errorsByType());
        assertEquals(2_000, decode(first, LatencyKind.PUBLISH_LATENCY).getMaxValue() / 1000 * 1000);
        assertEquals(1_000, decode(first, LatencyKind.PUBLISH_DELAY).getValueAtPercentile(50), 1);
        assertEquals(3_000, decode(first, LatencyKind.INTENDED_LATENCY).getValueAtPercentile(50), 3);
        assertEquals(Phase.WARMUP, first.phase());
        assertEquals(0, first.seq());

        assertEquals(1, second.messagesSent());
        assertEquals(0, second.sendErrors());
        assertEquals(1, decode(second, LatencyKind.INTENDED_LATENCY).getTotalCount());
        assertEquals(1, second.seq());
        assertEquals(1000, second.intervalStartMs());
        assertEquals(2000, second.intervalEndMs());
        assertEquals(true, second.last());
        assertEquals(null, first.stop(), "only the last report says why the agent stopped");
        assertEquals(io.kbench.protocol.message.AgentStop.SCHEDULE_END, second.stop());
    }

    @Test
    void aNegativeEndToEndIsCountedAsSkewAndRecordedAsZero() {
        AgentStats stats = new AgentStats(AgentRole.CONSUMER);
        IntervalCutter cutter = new IntervalCutter("c0", "w1", stats, new CpuMeter(), 1, 1000, 0, Phase.MEASURE);
        stats.recordReceived(10, -250);
        stats.recordReceived(10, 400);
        stats.recordReceivedUntimed(10);

        StatsReport report = cutter.cut(1000, 1000);

        assertEquals(3, report.messagesReceived());
        assertEquals(30, report.bytesReceived());
        assertEquals(1, report.negativeEndToEnd());
        Histogram e2e = decode(report, LatencyKind.END_TO_END_LATENCY);
        assertEquals(2, e2e.getTotalCount());
        assertEquals(0, e2e.getMinValue());
    }

    private static Histogram decode(StatsReport report, LatencyKind kind) {
        return HistogramCodec.decode(report.histograms().get(kind));
    }
}
