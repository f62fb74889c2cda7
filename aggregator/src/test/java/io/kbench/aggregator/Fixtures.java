package io.kbench.aggregator;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.StatsReport;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;

/** Builders for the messages of a synthetic run. */
public final class Fixtures {

    private Fixtures() {}

    public static RunSpec spec(
            List<String> agents, int subscriptions, int windowSeconds, String sweepId, Double scale) {
        return new RunSpec(
                "wl",
                "kafka",
                null,
                null,
                agents,
                null,
                List.of("topic-0"),
                subscriptions,
                0,
                0,
                1000,
                windowSeconds,
                sweepId,
                scale,
                0);
    }

    public static Histogram histogram(long... values) {
        Histogram histogram = HistogramCodec.newHistogram();
        for (long value : values) {
            histogram.recordValue(value);
        }
        return histogram;
    }

    public static Histogram range(long fromInclusive, long toInclusive) {
        return histogram(LongStream.rangeClosed(fromInclusive, toInclusive).toArray());
    }

    /** A producer's report: {@code sent} messages of 100 bytes, one publish latency histogram. */
    public static StatsReport produced(
            String agent,
            String worker,
            Phase phase,
            long seq,
            long start,
            long end,
            long sent,
            Histogram publish,
            boolean last) {
        Map<LatencyKind, String> histograms = new EnumMap<>(LatencyKind.class);
        if (publish != null) {
            histograms.put(LatencyKind.PUBLISH_LATENCY, HistogramCodec.encode(publish));
        }
        return new StatsReport(
                agent,
                worker,
                AgentRole.PRODUCER,
                phase,
                seq,
                start,
                end,
                sent,
                sent * 100,
                0,
                Map.of(),
                0,
                0,
                0,
                (end - start) * 1_000_000L / 2,
                0,
                histograms,
                last,
                last ? AgentStop.SCHEDULE_END : null,
                null,
                0,
                0L,
                null,
                null);
    }

    /** A consumer's report: {@code received} messages of 100 bytes. */
    public static StatsReport consumed(
            String agent, String worker, Phase phase, long seq, long start, long end, long received, boolean last) {
        return new StatsReport(
                agent,
                worker,
                AgentRole.CONSUMER,
                phase,
                seq,
                start,
                end,
                0,
                0,
                0,
                Map.of(),
                received,
                received * 100,
                0,
                0,
                0,
                Map.of(),
                last,
                last ? AgentStop.SCHEDULE_END : null,
                null,
                0,
                0L,
                null,
                null);
    }

    /** {@code r} with another stop and count of sends outside its phase. */
    public static StatsReport with(StatsReport r, AgentStop stop, String stopDetail, long sentOutsidePhase) {
        return new StatsReport(
                r.agentId(),
                r.workerId(),
                r.role(),
                r.phase(),
                r.seq(),
                r.intervalStartMs(),
                r.intervalEndMs(),
                r.messagesSent(),
                r.bytesSent(),
                r.sendErrors(),
                r.errorsByType(),
                r.messagesReceived(),
                r.bytesReceived(),
                r.negativeEndToEnd(),
                r.cpuNanos(),
                r.heapUsedBytes(),
                r.histograms(),
                r.last(),
                stop,
                stopDetail,
                sentOutsidePhase,
                0L,
                null,
                null);
    }
}
