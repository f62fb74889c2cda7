package io.kbench.aggregator.metrics;

import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;

/**
 * Every meter name and tag key the aggregator exposes, in one place. Names are Micrometer's dotted form; the
 * Prometheus registry writes them with underscores ({@code kbench.publish.messages.per.second} → {@code
 * kbench_publish_messages_per_second}, counters with {@code _total}). Values are in base units, as Prometheus'
 * naming conventions ask: messages/s, bytes/s, seconds, ratios (never percents).
 */
public final class AggregatorMeters {

    // Live gauges of runs in progress, from each run's latest window.
    public static final String PUBLISH_RATE = "kbench.publish.messages.per.second";
    public static final String CONSUME_RATE = "kbench.consume.messages.per.second";
    public static final String PUBLISH_BYTE_RATE = "kbench.publish.bytes.per.second";
    public static final String CONSUME_BYTE_RATE = "kbench.consume.bytes.per.second";
    public static final String PUBLISH_ERROR_RATE = "kbench.publish.errors.per.second";
    public static final String BACKLOG_MESSAGES = "kbench.backlog.messages";
    /**
     * HdrHistogram percentiles precomputed from merged histograms: gauges labelled {@link #TAG_PERCENTILE}, never
     * a summary (whose {@code quantile} label Prometheus reserves for summaries).
     */
    public static final String LATENCY_SECONDS = "kbench.latency.seconds";

    public static final String AGENTS_REPORTING = "kbench.agents.reporting";
    /** Process CPU of all agents per second of wall time: 1 is one core busy. */
    public static final String AGENTS_CPU_RATIO = "kbench.agents.cpu.ratio";

    public static final String WORKER_PUBLISH_RATE = "kbench.worker.publish.messages.per.second";
    public static final String WORKER_CONSUME_RATE = "kbench.worker.consume.messages.per.second";

    // The aggregator's own meters, there from start-up.
    public static final String RECORDS_SKIPPED = "kbench.aggregator.records.skipped";
    public static final String RUNS_FINISHED = "kbench.aggregator.runs.finished";
    public static final String RUNS_LIVE = "kbench.aggregator.runs.live";
    /** Reports a restarted task read back from the metrics topic because its last checkpoint lacked them. */
    public static final String REPORTS_REPLAYED = "kbench.aggregator.reports.replayed";

    public static final String TAG_RUN_ID = "run_id";
    public static final String TAG_WORKLOAD = "workload";
    public static final String TAG_WORKER = "worker";
    public static final String TAG_KIND = "kind";
    public static final String TAG_PERCENTILE = "percentile";
    public static final String TAG_REASON = "reason";
    public static final String TAG_STATUS = "status";

    /** Percentile label values, in the order of {@link #percentileValues}; 100 is the maximum. */
    static final String[] PERCENTILES = {"50", "75", "95", "99", "99.9", "99.99", "100"};

    private AggregatorMeters() {}

    /** The {@code kind} label of a latency. */
    public static String kindLabel(LatencyKind kind) {
        return switch (kind) {
            case PUBLISH_LATENCY -> "publish";
            case PUBLISH_DELAY -> "publish_delay";
            case INTENDED_LATENCY -> "intended";
            case END_TO_END_LATENCY -> "end_to_end";
            case END_TO_END_RAW -> "end_to_end_raw";
        };
    }

    /** Percentiles in microseconds, in the order of {@link #PERCENTILES}. */
    static double[] percentileValues(LatencyStats stats) {
        return new double[] {
            stats.p50(), stats.p75(), stats.p95(), stats.p99(), stats.p999(), stats.p9999(), stats.max()
        };
    }
}
