package io.kbench.aggregator.run;

import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.Phase;
import java.util.Map;

/**
 * The persisted form of a {@link StatsAccumulator}: counters as arrays in {@link Counters}' order and
 * histograms in HdrHistogram's compressed encoding (base64).
 */
public record StatsCheckpoint(
        long start,
        long nominalEnd,
        long minIntervalStart,
        long maxIntervalEnd,
        Phase phase,
        long phaseAt,
        long[] totals,
        Map<String, long[]> perAgent,
        Map<String, long[]> perWorker,
        Map<String, Long> errorsByType,
        Map<LatencyKind, String> histograms) {

    public StatsCheckpoint {
        perAgent = perAgent == null ? Map.of() : perAgent;
        perWorker = perWorker == null ? Map.of() : perWorker;
        errorsByType = errorsByType == null ? Map.of() : errorsByType;
        histograms = histograms == null ? Map.of() : histograms;
    }
}
