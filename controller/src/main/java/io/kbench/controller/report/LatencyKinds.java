package io.kbench.controller.report;

import io.kbench.protocol.message.LatencyKind;

/**
 * Where each latency kind sits in a result file: OMB's series prefix and aggregated-quantile map, and their unit
 * (OMB writes publish delay in µs, the other latencies in ms). Reports show every latency in ms.
 */
enum LatencyKinds {
    PUBLISH(LatencyKind.PUBLISH_LATENCY, "Publish latency", "publishLatency", "aggregatedPublishLatency", 1),
    PUBLISH_DELAY(
            LatencyKind.PUBLISH_DELAY, "Publish delay", "publishDelayLatency", "aggregatedPublishDelayLatency", 1000),
    END_TO_END(LatencyKind.END_TO_END_LATENCY, "End-to-end latency", "endToEndLatency", "aggregatedEndToEndLatency", 1),
    INTENDED(LatencyKind.INTENDED_LATENCY, "Intended-to-ack latency", null, null, 1);

    final LatencyKind kind;
    final String title;
    /** OMB's per-window series prefix ({@code publishLatency} → {@code publishLatency99pct}); none for intended. */
    final String seriesPrefix;
    /** OMB's aggregated prefix ({@code aggregatedPublishLatency} → {@code ...99pct}, {@code ...Quantiles}). */
    final String aggregatedPrefix;
    /** What a value in the OMB fields is divided by to give ms. */
    final double perMs;

    LatencyKinds(LatencyKind kind, String title, String seriesPrefix, String aggregatedPrefix, double perMs) {
        this.kind = kind;
        this.title = title;
        this.seriesPrefix = seriesPrefix;
        this.aggregatedPrefix = aggregatedPrefix;
        this.perMs = perMs;
    }

    /** The key used for this kind in the report's data and in {@code kbench.histogramsMicros}. */
    String key() {
        return kind.wireName();
    }
}
