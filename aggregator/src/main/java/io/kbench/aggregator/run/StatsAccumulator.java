package io.kbench.aggregator.run;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.histogram.MergedHistogram;
import io.kbench.protocol.histogram.SparseHistogram;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.Rates;
import io.kbench.protocol.message.StatsReport;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summed counters and merged interval histograms of a set of reports: one window, or a run's measured phases.
 * Histograms are merged exactly, bucket by bucket; percentiles come only from the merged result.
 */
final class StatsAccumulator {

    private final long start;
    private final long nominalEnd;
    private long minIntervalStart = Long.MAX_VALUE;
    private long maxIntervalEnd = Long.MIN_VALUE;
    private Phase phase;
    private long phaseAt = Long.MIN_VALUE;
    private final long[] totals;
    private final Map<String, long[]> perAgent;
    private final Map<String, long[]> perWorker;
    private final Map<String, Long> errorsByType;
    private final Map<LatencyKind, MergedHistogram> histograms;

    StatsAccumulator(long start, long nominalEnd) {
        this(
                start,
                nominalEnd,
                Counters.empty(),
                new TreeMap<>(),
                new TreeMap<>(),
                new TreeMap<>(),
                new EnumMap<>(LatencyKind.class));
    }

    private StatsAccumulator(
            long start,
            long nominalEnd,
            long[] totals,
            Map<String, long[]> perAgent,
            Map<String, long[]> perWorker,
            Map<String, Long> errorsByType,
            Map<LatencyKind, MergedHistogram> histograms) {
        this.start = start;
        this.nominalEnd = nominalEnd;
        this.totals = totals;
        this.perAgent = perAgent;
        this.perWorker = perWorker;
        this.errorsByType = errorsByType;
        this.histograms = histograms;
    }

    void add(StatsReport report, Map<LatencyKind, SparseHistogram> decoded) {
        minIntervalStart = Math.min(minIntervalStart, report.intervalStartMs());
        maxIntervalEnd = Math.max(maxIntervalEnd, report.intervalEndMs());
        // The window's phase is its latest report's; on a tie the later phase wins, so a window that holds the
        // switch from warm-up to measurement counts as measured only when measured reports end it.
        if (report.intervalEndMs() > phaseAt
                || (report.intervalEndMs() == phaseAt
                        && phase != null
                        && report.phase().ordinal() > phase.ordinal())) {
            phase = report.phase();
            phaseAt = report.intervalEndMs();
        }
        Counters.add(totals, report);
        Counters.add(perAgent.computeIfAbsent(report.agentId(), k -> Counters.empty()), report);
        if (report.workerId() != null) {
            Counters.add(perWorker.computeIfAbsent(report.workerId(), k -> Counters.empty()), report);
        }
        report.errorsByType().forEach((type, count) -> errorsByType.merge(type, count, Long::sum));
        // By bucket index: recording value by value was a tenth of the stream thread.
        decoded.forEach(
                (kind, histogram) -> histogram.addTo(histograms.computeIfAbsent(kind, k -> new MergedHistogram())));
    }

    long start() {
        return start;
    }

    long nominalEnd() {
        return nominalEnd;
    }

    boolean isEmpty() {
        return perAgent.isEmpty();
    }

    long maxIntervalEnd() {
        return maxIntervalEnd;
    }

    Phase phase() {
        return phase;
    }

    long[] totals() {
        return totals;
    }

    Map<String, Long> errorsByType() {
        return errorsByType;
    }

    int agents() {
        return perAgent.size();
    }

    /** The agent with the most of {@code counter} (the first by id on a tie) and its counters, or null with none. */
    Map.Entry<String, long[]> agentWithMost(int counter) {
        Map.Entry<String, long[]> most = null;
        for (Map.Entry<String, long[]> entry : perAgent.entrySet()) {
            if (most == null || entry.getValue()[counter] > most.getValue()[counter]) {
                most = entry;
            }
        }
        return most;
    }

    Map<LatencyKind, LatencyStats> latencies() {
        Map<LatencyKind, LatencyStats> stats = new EnumMap<>(LatencyKind.class);
        for (LatencyKind kind : LatencyKind.values()) {
            MergedHistogram histogram = histograms.get(kind);
            stats.put(kind, histogram == null ? LatencyStats.EMPTY : HistogramCodec.stats(histogram.toHistogram()));
        }
        return stats;
    }

    Map<LatencyKind, String> encodedHistograms() {
        Map<LatencyKind, String> encoded = new EnumMap<>(LatencyKind.class);
        histograms.forEach((kind, histogram) -> encoded.put(kind, HistogramCodec.encode(histogram.toHistogram())));
        return encoded;
    }

    Map<String, Rates> perAgentRates(long spanMs) {
        return rates(perAgent, spanMs);
    }

    Map<String, Rates> perWorkerRates(long spanMs) {
        return rates(perWorker, spanMs);
    }

    private static Map<String, Rates> rates(Map<String, long[]> counters, long spanMs) {
        Map<String, Rates> rates = new LinkedHashMap<>();
        counters.forEach((id, c) -> rates.put(id, Counters.rates(c, spanMs)));
        return rates;
    }

    StatsCheckpoint checkpoint() {
        return new StatsCheckpoint(
                start,
                nominalEnd,
                minIntervalStart,
                maxIntervalEnd,
                phase,
                phaseAt,
                totals.clone(),
                new TreeMap<>(perAgent),
                new TreeMap<>(perWorker),
                new TreeMap<>(errorsByType),
                encodedHistograms());
    }

    static StatsAccumulator restore(StatsCheckpoint checkpoint) {
        Map<String, long[]> perAgent = new TreeMap<>();
        checkpoint.perAgent().forEach((id, c) -> perAgent.put(id, Counters.normalized(c)));
        Map<String, long[]> perWorker = new TreeMap<>();
        checkpoint.perWorker().forEach((id, c) -> perWorker.put(id, Counters.normalized(c)));
        Map<LatencyKind, MergedHistogram> histograms = new EnumMap<>(LatencyKind.class);
        checkpoint.histograms().forEach((kind, text) -> {
            MergedHistogram merged = new MergedHistogram();
            merged.add(HistogramCodec.decode(text));
            histograms.put(kind, merged);
        });
        StatsAccumulator restored = new StatsAccumulator(
                checkpoint.start(),
                checkpoint.nominalEnd(),
                Counters.normalized(checkpoint.totals()),
                perAgent,
                perWorker,
                new TreeMap<>(checkpoint.errorsByType()),
                histograms);
        restored.minIntervalStart = checkpoint.minIntervalStart();
        restored.maxIntervalEnd = checkpoint.maxIntervalEnd();
        restored.phase = checkpoint.phase();
        restored.phaseAt = checkpoint.phaseAt();
        return restored;
    }
}
