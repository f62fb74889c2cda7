package io.kbench.aggregator.metrics;

import io.kbench.aggregator.run.RunEvents;
import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.WindowSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator's meters: counters of skipped records (one per known reason) and finished runs (one per status),
 * all there at 0 from start-up, the number of runs in progress, and the live gauges of each run in progress. A skip reason is logged the first time it occurs (then only counted), so a stream of bad records
 * cannot flood the log.
 */
public final class AggregatorMetrics implements RunEvents {

    private static final Logger LOGGER = LoggerFactory.getLogger(AggregatorMetrics.class);

    private final MeterRegistry registry;
    private final LiveRunGauges gauges;
    private final Set<String> loggedReasons = ConcurrentHashMap.newKeySet();
    private final Counter replayed;

    /**
     * @param finishedSeriesTtl how long a finished run's gauges stay before {@link #expireFinishedRuns} removes
     *     them
     */
    public AggregatorMetrics(MeterRegistry registry, Clock clock, Duration finishedSeriesTtl) {
        this.registry = registry;
        this.gauges = new LiveRunGauges(registry, clock, finishedSeriesTtl);
        // Every reader skip reason shows as 0 from start-up: an alert on unsigned or replayed control records
        // needs the series before the first one arrives.
        for (SkipReason reason : SkipReason.values()) {
            skippedCounter(reason.label());
        }
        for (RunStatus status : RunStatus.values()) {
            finishedCounter(status);
        }
        Gauge.builder(AggregatorMeters.RUNS_LIVE, gauges, LiveRunGauges::runsInProgress)
                .description("Runs in progress whose windows this aggregator is closing")
                .strongReference(true)
                .register(registry);
        replayed = Counter.builder(AggregatorMeters.REPORTS_REPLAYED)
                .description("Reports restarted tasks read back from the metrics topic that their checkpoints lacked")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void recordSkipped(String reason, String detail) {
        skippedCounter(reason).increment();
        if (loggedReasons.add(reason)) {
            LOGGER.warn(
                    "skipping record reason={} detail={} (further skips for this reason are only counted)",
                    reason,
                    detail);
        }
    }

    private Counter skippedCounter(String reason) {
        return Counter.builder(AggregatorMeters.RECORDS_SKIPPED)
                .description("Records the aggregator skipped, by reason")
                .tag(AggregatorMeters.TAG_REASON, reason)
                .register(registry);
    }

    @Override
    public void windowClosed(String workloadName, WindowSummary window) {
        gauges.update(workloadName, window);
    }

    @Override
    public void runFinished(RunSummary summary) {
        finishedCounter(summary.status()).increment();
        gauges.finish(summary.runId());
    }

    @Override
    public void reportsReplayed(int count) {
        replayed.increment(count);
    }

    /** Reports read back from the metrics topic by restarted tasks so far. */
    public double replayed() {
        return replayed.count();
    }

    private Counter finishedCounter(RunStatus status) {
        return Counter.builder(AggregatorMeters.RUNS_FINISHED)
                .description("Run summaries published, by status")
                .tag(AggregatorMeters.TAG_STATUS, status.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    /** Removes the gauges of runs that finished long enough ago; call it periodically. */
    public void expireFinishedRuns() {
        gauges.expire();
    }

    /** Records skipped for {@code reason} so far. */
    public double skipped(String reason) {
        Counter counter = registry.find(AggregatorMeters.RECORDS_SKIPPED)
                .tag(AggregatorMeters.TAG_REASON, reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** Runs whose live gauges are registered (in progress, or finished and not yet expired). */
    public int liveRuns() {
        return gauges.liveRuns();
    }
}
