package io.kbench.aggregator.metrics;

import io.kbench.protocol.message.LatencyKind;

/**
 * Every meter name and tag key the aggregator exposes, in one place. Names are Micrometer's dotted form; the
 * Prometheus registry writes them with underscores ({@code kbench.publish.rate} → {@code kbench_publish_rate},
 * counters with {@code _total}). Values are in base units: messages/s, bytes/s, seconds, percent.
 */
public final class AggregatorMeters {

    // Live gauges of runs in progress, from each run's latest window.
    public static final String PUBLISH_RATE = "kbench.publish.rate";
    public static final String CONSUME_RATE = "kbench.consume.rate";
    public static final String PUBLISH_THROUGHPUT_BYTES = "kbench.publish.throughput.bytes";
    public static final String CONSUME_THROUGHPUT_BYTES = "kbench.consume.throughput.bytes";
    public static final String PUBLISH_ERROR_RATE = "kbench.publish.error.rate";
    public static final String BACKLOG_MESSAGES = "kbench.backlog.messages";
    /** HdrHistogram percentiles precomputed from merged histograms: gauges, never a summary of percentiles. */
    public static final String LATENCY_SECONDS = "kbench.latency.seconds";

    public static final String AGENTS_REPORTING = "kbench.agents.reporting";
    public static final String CPU_PERCENT = "kbench.cpu.percent";
    public static final String WORKER_PUBLISH_RATE = "kbench.worker.publish.rate";
    public static final String WORKER_CONSUME_RATE = "kbench.worker.consume.rate";

    // The aggregator's own counters.
    public static final String RECORDS_SKIPPED = "kbench.aggregator.records.skipped";
    public static final String RUNS_COMPLETED = "kbench.aggregator.runs.completed";

    public static final String TAG_RUN_ID = "run_id";
    public static final String TAG_WORKLOAD = "workload";
    public static final String TAG_WORKER = "worker";
    public static final String TAG_KIND = "kind";
    public static final String TAG_QUANTILE = "quantile";
    public static final String TAG_REASON = "reason";
    public static final String TAG_STATUS = "status";

    /** Quantile label values, in the order of {@link #quantileValues}. */
    static final String[] QUANTILES = {"0.5", "0.75", "0.95", "0.99", "0.999", "0.9999", "1.0"};

    private AggregatorMeters() {}

    /** The {@code kind} label of a latency. */
    public static String kindLabel(LatencyKind kind) {
        return switch (kind) {
            case PUBLISH_LATENCY -> "publish";
            case PUBLISH_DELAY -> "publish_delay";
            case INTENDED_LATENCY -> "intended";
            case END_TO_END_LATENCY -> "end_to_end";
        };
    }

    /** Percentiles in microseconds, in the order of {@link #QUANTILES}. */
    static double[] quantileValues(io.kbench.protocol.message.LatencyStats stats) {
        return new double[] {
            stats.p50(), stats.p75(), stats.p95(), stats.p99(), stats.p999(), stats.p9999(), stats.max()
        };
    }
}
