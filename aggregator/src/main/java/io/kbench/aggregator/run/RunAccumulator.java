package io.kbench.aggregator.run;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.message.WindowSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/**
 * The in-memory state of one run: its control records, the tumbling windows still open, and the run-wide
 * totals of its measured phases. Reports that arrive before both {@link RunSpec} and {@link StartRun} are
 * known wait in a pending list (the control records travel through a repartition topic and may lag).
 *
 * <p>Windows are tumbling, {@code windowSeconds} long and aligned to the start barrier: warm-up windows to
 * {@code startAt}, measured windows to {@code startAt + warmupMs}, so no window mixes warm-up and measurement.
 * A report belongs to the window holding the last millisecond of its interval.
 */
public final class RunAccumulator {

    /** What became of a report. */
    public enum Outcome {
        ACCEPTED,
        DUPLICATE,
        BAD_HISTOGRAM
    }

    private record Pending(String logKey, StatsReport report, Map<LatencyKind, Histogram> histograms) {}

    private final String runId;
    private RunSpec spec;
    private StartRun start;
    private StopRun stop;
    private long stopSeenAt;
    private final long firstSeenAt;
    private long lastActivityAt;
    private final Map<String, Long> maxSeq;
    private final Map<String, Long> watermarks;
    private final Set<String> lastReported;
    private long cumulativeSent;
    private long cumulativeReceived;
    private long closedSent;
    private long closedReceived;
    private long closedThrough = Long.MIN_VALUE;
    private StatsAccumulator measured = new StatsAccumulator(0, 0);
    private final TreeMap<Long, StatsAccumulator> openWindows = new TreeMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<String> foldedLogKeys = new ArrayList<>();
    private boolean dirty;

    public RunAccumulator(String runId, long now) {
        this.runId = runId;
        this.firstSeenAt = now;
        this.lastActivityAt = now;
        this.maxSeq = new HashMap<>();
        this.watermarks = new HashMap<>();
        this.lastReported = new TreeSet<>();
    }

    public String runId() {
        return runId;
    }

    public RunSpec spec() {
        return spec;
    }

    public StartRun start() {
        return start;
    }

    public long lastActivityAt() {
        return lastActivityAt;
    }

    /** True when something changed since the last {@link #checkpoint()}. */
    public boolean dirty() {
        return dirty;
    }

    /** Log keys of reports folded into the state since the last checkpoint; a checkpoint makes them redundant. */
    public List<String> foldedLogKeys() {
        return foldedLogKeys;
    }

    public void applySpec(RunSpec runSpec, long now) {
        spec = runSpec;
        touch(now);
        foldPendingIfReady();
    }

    public void applyStart(StartRun startRun, long now) {
        start = startRun;
        touch(now);
        foldPendingIfReady();
    }

    public void applyStop(StopRun stopRun, long now) {
        if (stop == null) {
            stop = stopRun;
            stopSeenAt = now;
        }
        touch(now);
    }

    /**
     * Adds one agent report. A report whose {@code seq} is not above the agent's highest seen is a duplicate
     * (a redelivery) and changes nothing; one whose histograms do not decode is refused whole, so counters and
     * latencies always describe the same reports.
     */
    public Outcome apply(String logKey, StatsReport report, long now) {
        Long seen = maxSeq.get(report.agentId());
        if (seen != null && report.seq() <= seen) {
            return Outcome.DUPLICATE;
        }
        return accept(logKey, report, now);
    }

    /**
     * Re-applies a report from the store's log after a restart. It was accepted before, so it is not checked
     * for duplicates again (the checkpoint's highest seq may already include it while it was pending).
     */
    public Outcome replay(String logKey, StatsReport report, long now) {
        return accept(logKey, report, now);
    }

    private Outcome accept(String logKey, StatsReport report, long now) {
        Map<LatencyKind, Histogram> decoded = new EnumMap<>(LatencyKind.class);
        try {
            report.histograms().forEach((kind, text) -> decoded.put(kind, HistogramCodec.decode(text)));
        } catch (IllegalArgumentException e) {
            return Outcome.BAD_HISTOGRAM;
        }
        maxSeq.merge(report.agentId(), report.seq(), Math::max);
        watermarks.merge(report.agentId(), report.intervalEndMs(), Math::max);
        if (report.last()) {
            lastReported.add(report.agentId());
        }
        touch(now);
        if (ready()) {
            fold(report, decoded);
            foldedLogKeys.add(logKey);
        } else {
            pending.add(new Pending(logKey, report, decoded));
        }
        return Outcome.ACCEPTED;
    }

    private boolean ready() {
        return spec != null && start != null;
    }

    private void foldPendingIfReady() {
        if (!ready()) {
            return;
        }
        for (Pending p : pending) {
            fold(p.report(), p.histograms());
            foldedLogKeys.add(p.logKey());
        }
        pending.clear();
    }

    private void fold(StatsReport report, Map<LatencyKind, Histogram> decoded) {
        cumulativeSent += report.messagesSent();
        cumulativeReceived += report.messagesReceived();
        if (report.phase().isMeasured()) {
            measured.add(report, decoded);
        }
        long windowStart = windowStartFor(report);
        if (windowStart < closedThrough) {
            // Its window is already published: the run totals and the backlog still count it.
            closedSent += report.messagesSent();
            closedReceived += report.messagesReceived();
            return;
        }
        openWindows
                .computeIfAbsent(
                        windowStart,
                        s -> new StatsAccumulator(
                                s, windowEndFor(s, report.phase().isMeasured())))
                .add(report, decoded);
    }

    private long windowMs() {
        return spec.windowSeconds() * 1000L;
    }

    private long measureStart() {
        return start.startAt() + Math.max(0, start.warmupMs());
    }

    long windowStartFor(StatsReport report) {
        long startAt = start.startAt();
        long measureStart = measureStart();
        long t = Math.max(report.intervalEndMs() - 1, startAt);
        long base;
        if (report.phase().isMeasured()) {
            t = Math.max(t, measureStart);
            base = measureStart;
        } else {
            t = measureStart > startAt ? Math.min(t, measureStart - 1) : t;
            base = startAt;
        }
        return base + Math.floorDiv(t - base, windowMs()) * windowMs();
    }

    private long windowEndFor(long windowStart, boolean measuredPhase) {
        long end = windowStart + windowMs();
        long measureStart = measureStart();
        if (!measuredPhase && windowStart < measureStart && end > measureStart) {
            return measureStart;
        }
        return end;
    }

    /** True when every agent of the spec has sent its last report (and the run can be windowed). */
    public boolean complete() {
        return ready() && !spec.agentIds().isEmpty() && lastReported.containsAll(spec.agentIds());
    }

    /** The status the run ends with now, if it is due to end: complete, past its deadline, or stopped. */
    public Optional<RunStatus> due(long now, Duration runGrace, Duration stopGrace) {
        if (complete()) {
            return Optional.of(statusWhenEnding());
        }
        if (start != null && now >= start.deadlineAt() + runGrace.toMillis()) {
            return Optional.of(statusWhenEnding());
        }
        if (stop != null && now >= stopSeenAt + stopGrace.toMillis()) {
            return Optional.of(statusWhenEnding());
        }
        return Optional.empty();
    }

    private RunStatus statusWhenEnding() {
        if (stop != null) {
            switch (stop.reason()) {
                case FAILED:
                    return RunStatus.FAILED;
                case INTERRUPTED:
                case OPERATOR:
                    return RunStatus.INTERRUPTED;
                case COMPLETED:
                default:
                    break;
            }
        }
        return complete() ? RunStatus.COMPLETE : RunStatus.INCOMPLETE;
    }

    /**
     * Closes, in order, the windows that are due: every agent of the run reported past the window's end (or
     * sent its last report), or its end plus {@code grace} has passed in wall-clock time.
     */
    public List<WindowSummary> closeDueWindows(long now, Duration grace) {
        List<WindowSummary> closed = new ArrayList<>();
        while (!openWindows.isEmpty()) {
            StatsAccumulator first = openWindows.firstEntry().getValue();
            boolean wallClockDue = now >= first.nominalEnd() + grace.toMillis();
            if (!wallClockDue && !allAgentsPast(first.nominalEnd())) {
                break;
            }
            closed.add(close(openWindows.pollFirstEntry().getValue(), false));
        }
        return closed;
    }

    /** Closes every open window; the last one is marked {@code last}. */
    public List<WindowSummary> closeAllWindows() {
        List<WindowSummary> closed = new ArrayList<>();
        while (!openWindows.isEmpty()) {
            closed.add(close(openWindows.pollFirstEntry().getValue(), openWindows.isEmpty()));
        }
        return closed;
    }

    private boolean allAgentsPast(long end) {
        if (spec == null || spec.agentIds().isEmpty()) {
            return false;
        }
        for (String agent : spec.agentIds()) {
            if (!lastReported.contains(agent) && watermarks.getOrDefault(agent, Long.MIN_VALUE) < end) {
                return false;
            }
        }
        return true;
    }

    private WindowSummary close(StatsAccumulator window, boolean last) {
        dirty = true;
        long[] totals = window.totals();
        closedSent += totals[Counters.SENT];
        closedReceived += totals[Counters.RECEIVED];
        closedThrough = Math.max(closedThrough, window.nominalEnd());
        // Agents' report intervals are not aligned to windows: a window holds the reports that END in it, about
        // one window's worth of data, so rates are over the window's length. Only the run's last window is cut
        // short, at its last report. (Dividing every window by its last report's end inflated rates up to 4×.)
        long end = last ? window.effectiveEnd() : window.nominalEnd();
        long span = end - window.start();
        return new WindowSummary(
                runId,
                window.start(),
                end,
                window.phase(),
                Counters.rates(totals, span),
                totals[Counters.SENT],
                totals[Counters.RECEIVED],
                totals[Counters.SEND_ERRORS],
                // Producers count a message at its ack, consumers at receipt: with acks slower than fetches the
                // difference dips below zero, which is in-flight data, not a backlog.
                Math.max(0, closedSent * subscriptions() - closedReceived),
                window.latencies(),
                window.perWorkerRates(span),
                window.perAgentRates(span),
                Counters.cpuPercent(totals, span),
                window.agents(),
                last);
    }

    private int subscriptions() {
        return spec == null ? 1 : spec.subscriptions();
    }

    /** Agents of the spec that have not sent their last report, sorted. */
    public List<String> missingAgents() {
        if (spec == null) {
            return List.of();
        }
        return spec.agentIds().stream()
                .filter(agent -> !lastReported.contains(agent))
                .sorted()
                .toList();
    }

    /** The run summary over the measured phases; {@code measuredWindows} are the run's published windows. */
    public io.kbench.protocol.message.RunSummary summarize(
            RunStatus status, long completedAt, List<WindowSummary> measuredWindows) {
        return RunSummaries.of(this, measured, status, completedAt, measuredWindows);
    }

    long cumulativeBacklog() {
        return cumulativeSent * subscriptions() - cumulativeReceived;
    }

    int agentsReported() {
        return watermarks.size();
    }

    StopRun stop() {
        return stop;
    }

    /** The state to persist; clears the dirty flag and the folded log keys (the caller deletes those). */
    public RunCheckpoint checkpoint() {
        List<StatsCheckpoint> windows = new ArrayList<>();
        openWindows.values().forEach(w -> windows.add(w.checkpoint()));
        RunCheckpoint checkpoint = new RunCheckpoint(
                runId,
                spec,
                start,
                stop,
                stopSeenAt,
                firstSeenAt,
                lastActivityAt,
                new TreeMap<>(maxSeq),
                new TreeMap<>(watermarks),
                List.copyOf(lastReported),
                cumulativeSent,
                cumulativeReceived,
                closedSent,
                closedReceived,
                closedThrough,
                measured.checkpoint(),
                windows);
        dirty = false;
        return checkpoint;
    }

    public static RunAccumulator restore(RunCheckpoint checkpoint) {
        RunAccumulator run = new RunAccumulator(checkpoint.runId(), checkpoint.firstSeenAt());
        run.spec = checkpoint.spec();
        run.start = checkpoint.start();
        run.stop = checkpoint.stop();
        run.stopSeenAt = checkpoint.stopSeenAt();
        run.lastActivityAt = checkpoint.lastActivityAt();
        run.maxSeq.putAll(checkpoint.maxSeq());
        run.watermarks.putAll(checkpoint.watermarks());
        run.lastReported.addAll(checkpoint.lastReported());
        run.cumulativeSent = checkpoint.cumulativeSent();
        run.cumulativeReceived = checkpoint.cumulativeReceived();
        run.closedSent = checkpoint.closedSent();
        run.closedReceived = checkpoint.closedReceived();
        run.closedThrough = checkpoint.closedThrough();
        if (checkpoint.measured() != null) {
            run.measured = StatsAccumulator.restore(checkpoint.measured());
        }
        checkpoint.openWindows().forEach(w -> run.openWindows.put(w.start(), StatsAccumulator.restore(w)));
        return run;
    }

    private void touch(long now) {
        lastActivityAt = Math.max(lastActivityAt, now);
        dirty = true;
    }
}
