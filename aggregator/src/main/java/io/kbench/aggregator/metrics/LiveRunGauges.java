package io.kbench.aggregator.metrics;

import static io.kbench.aggregator.metrics.AggregatorMeters.*;

import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.Rates;
import io.kbench.protocol.message.WindowSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Gauges per run in progress, read from the run's latest window. A finished run's series stay (with their
 * last values) for {@code finishedTtl}, so a scrape sees the end of the run, and are then removed.
 */
final class LiveRunGauges {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration finishedTtl;
    private final Map<String, LiveRun> runs = new ConcurrentHashMap<>();

    private static final class LiveRun {
        final Tags tags;
        final List<Meter> meters = new CopyOnWriteArrayList<>();
        final Set<String> workers = ConcurrentHashMap.newKeySet();
        volatile WindowSummary latest;
        volatile long finishedAt = -1;

        LiveRun(Tags tags) {
            this.tags = tags;
        }
    }

    LiveRunGauges(MeterRegistry registry, Clock clock, Duration finishedTtl) {
        this.registry = registry;
        this.clock = clock;
        this.finishedTtl = finishedTtl;
    }

    void update(String workload, WindowSummary window) {
        LiveRun run = runs.computeIfAbsent(window.runId(), runId -> register(runId, workload));
        run.latest = window;
        for (String worker : window.perWorker().keySet()) {
            if (run.workers.add(worker)) {
                Tags tags = run.tags.and(TAG_WORKER, worker);
                run.meters.add(gauge(
                        WORKER_PUBLISH_RATE,
                        "Messages published per second by one worker's agents",
                        tags,
                        run,
                        w -> workerRates(w, worker).publishRate()));
                run.meters.add(gauge(
                        WORKER_CONSUME_RATE,
                        "Messages consumed per second by one worker's agents",
                        tags,
                        run,
                        w -> workerRates(w, worker).consumeRate()));
            }
        }
    }

    void finish(String runId) {
        LiveRun run = runs.get(runId);
        if (run != null) {
            run.finishedAt = clock.millis();
        }
    }

    /** Removes the series of runs finished at least {@code finishedTtl} ago. */
    void expire() {
        long now = clock.millis();
        runs.entrySet().removeIf(entry -> {
            LiveRun run = entry.getValue();
            if (run.finishedAt >= 0 && now - run.finishedAt >= finishedTtl.toMillis()) {
                run.meters.forEach(registry::remove);
                return true;
            }
            return false;
        });
    }

    int liveRuns() {
        return runs.size();
    }

    /** Runs with gauges that have not finished. */
    int runsInProgress() {
        return (int) runs.values().stream().filter(run -> run.finishedAt < 0).count();
    }

    private LiveRun register(String runId, String workload) {
        LiveRun run = new LiveRun(Tags.of(TAG_RUN_ID, runId, TAG_WORKLOAD, workload == null ? "unknown" : workload));
        run.meters.add(gauge(
                PUBLISH_RATE, "Messages published per second in the run's latest window", run.tags, run, w -> w.rates()
                        .publishRate()));
        run.meters.add(gauge(
                CONSUME_RATE, "Messages consumed per second in the run's latest window", run.tags, run, w -> w.rates()
                        .consumeRate()));
        run.meters.add(gauge(
                PUBLISH_BYTE_RATE,
                "Payload bytes published per second in the run's latest window",
                run.tags,
                run,
                w -> w.rates().publishMBps() * 1e6));
        run.meters.add(gauge(
                CONSUME_BYTE_RATE,
                "Payload bytes consumed per second in the run's latest window",
                run.tags,
                run,
                w -> w.rates().consumeMBps() * 1e6));
        run.meters.add(gauge(
                PUBLISH_ERROR_RATE, "Failed sends per second in the run's latest window", run.tags, run, w -> w.rates()
                        .publishErrorRate()));
        run.meters.add(gauge(
                BACKLOG_MESSAGES,
                "Messages published and not yet consumed at the window's end",
                run.tags,
                run,
                WindowSummary::backlog));
        run.meters.add(gauge(
                AGENTS_REPORTING,
                "Agents whose stats are in the run's latest window",
                run.tags,
                run,
                WindowSummary::agentsReporting));
        run.meters.add(gauge(
                AGENTS_CPU_RATIO,
                "Process CPU of all the run's agents per second (1 = one core busy)",
                run.tags,
                run,
                w -> w.cpuPercent() / 100));
        for (LatencyKind kind : LatencyKind.values()) {
            for (int p = 0; p < PERCENTILES.length; p++) {
                int index = p;
                Tags tags = run.tags.and(TAG_KIND, kindLabel(kind), TAG_PERCENTILE, PERCENTILES[p]);
                run.meters.add(gauge(
                        LATENCY_SECONDS,
                        "Latency percentile of the run's latest window, from the agents' merged HdrHistograms",
                        tags,
                        run,
                        w -> percentileValues(w.latencies().getOrDefault(kind, LatencyStats.EMPTY))[index] / 1e6));
            }
        }
        return run;
    }

    private static Rates workerRates(WindowSummary window, String worker) {
        return window.perWorker().getOrDefault(worker, Rates.ZERO);
    }

    private Meter gauge(String name, String help, Tags tags, LiveRun run, ToDoubleFunction<WindowSummary> value) {
        return Gauge.builder(name, run, r -> r.latest == null ? Double.NaN : value.applyAsDouble(r.latest))
                .description(help)
                .tags(tags)
                .register(registry);
    }
}
