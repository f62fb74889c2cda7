package io.kbench.aggregator.run;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.histogram.SparseHistogram;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunSummary;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The in-memory state of one run: its control records, the tumbling windows still open, and the run-wide
 * totals of its measured phases. Reports that arrive before both {@link RunSpec} and {@link StartRun} are
 * known wait in a pending list (the control records travel through a repartition topic and may lag).
 *
 * <p>Windows are tumbling, {@code windowSeconds} long and aligned to the start barrier ({@link RunSchedule},
 * {@link RunWindows}); how the run ended is judged by {@link RunVerdict}.
 */
public final class RunAccumulator {

    /** What became of a report. */
    public enum Outcome {
        /** Folded into the run's state. */
        ACCEPTED,
        /**
         * Accepted, and waiting unfolded until both {@link RunSpec} and {@link StartRun} are known: the caller keeps
         * it in the store's log, since a checkpoint does not hold waiting reports.
         */
        PENDING,
        DUPLICATE,
        BAD_HISTOGRAM
    }

    private record Pending(String logKey, StatsReport report, Map<LatencyKind, SparseHistogram> histograms) {}

    private final String runId;
    private RunSpec spec;
    private StartRun start;
    private StopRun stop;
    private long stopSeenAt;
    private Long stopSentAt;
    private final long firstSeenAt;
    private long lastActivityAt;
    private final Map<String, Long> maxSeq;
    private final Map<String, Long> watermarks;
    private final Set<String> lastReported;
    private final Map<String, AgentFacts> agents;
    private final Set<String> failuresForwarded;
    private long cumulativeSent;
    private long cumulativeReceived;
    private StatsAccumulator measured = new StatsAccumulator(0, 0);
    private final RunWindows windows;
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
        this.agents = new TreeMap<>();
        this.failuresForwarded = new TreeSet<>();
        this.windows = new RunWindows(runId);
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

    /**
     * Log keys of logged reports (those that waited, and those replayed from the log) folded into the state since
     * the last checkpoint; a checkpoint makes them redundant.
     */
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

    /** {@code sentAt} is the controller's clock when it sent the StopRun: where an open-ended measurement ends. */
    public void applyStop(StopRun stopRun, long sentAt, long now) {
        if (stop == null) {
            stop = stopRun;
            stopSeenAt = now;
            stopSentAt = sentAt;
        }
        touch(now);
    }

    /**
     * Adds one agent report, as received or as read back from the metrics topic after a restart. A report whose
     * {@code seq} is not above the agent's highest seen is a duplicate (a redelivery, or one the checkpoint already
     * holds) and changes nothing; one whose histograms do not decode is refused whole, so counters and latencies
     * always describe the same reports. {@code logKey} names the report in the store's log, where the caller keeps
     * it only if it is {@link Outcome#PENDING}; it may be null while the run is not {@link #waiting()}.
     */
    public Outcome apply(String logKey, StatsReport report, long now) {
        Long seen = maxSeq.get(report.agentId());
        if (seen != null && report.seq() <= seen) {
            return Outcome.DUPLICATE;
        }
        return accept(logKey, report, now, false);
    }

    /**
     * Re-applies a report from the store's log after a restart. It was accepted before, so it is not checked
     * for duplicates again (the checkpoint's highest seq may already include it while it was pending).
     */
    public Outcome replay(String logKey, StatsReport report, long now) {
        return accept(logKey, report, now, true);
    }

    private Outcome accept(String logKey, StatsReport report, long now, boolean logged) {
        // Only the non-zero buckets: a full-range histogram per report cost more than everything else together.
        Map<LatencyKind, SparseHistogram> decoded = new EnumMap<>(LatencyKind.class);
        try {
            report.histograms().forEach((kind, text) -> decoded.put(kind, HistogramCodec.decodeSparse(text)));
        } catch (IllegalArgumentException e) {
            return Outcome.BAD_HISTOGRAM;
        }
        maxSeq.merge(report.agentId(), report.seq(), Math::max);
        watermarks.merge(report.agentId(), report.intervalEndMs(), Math::max);
        if (report.last()) {
            lastReported.add(report.agentId());
        }
        agents.put(report.agentId(), AgentFacts.of(report, agents.get(report.agentId())));
        touch(now);
        if (ready()) {
            fold(report, decoded);
            if (logged) {
                foldedLogKeys.add(logKey);
            }
            return Outcome.ACCEPTED;
        }
        pending.add(new Pending(Objects.requireNonNull(logKey, "logKey of a waiting report"), report, decoded));
        return Outcome.PENDING;
    }

    /** True while a report would wait ({@link Outcome#PENDING}): RunSpec or StartRun is not known yet. */
    public boolean waiting() {
        return !ready();
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

    private void fold(StatsReport report, Map<LatencyKind, SparseHistogram> decoded) {
        // Every acknowledged send counts toward the backlog, whichever phase its intended time fell in.
        cumulativeSent += report.messagesSent() + report.sentOutsidePhase();
        cumulativeReceived += report.messagesReceived();
        if (report.phase().isMeasured()) {
            measured.add(report, decoded);
        }
        windows.add(report, decoded, schedule());
    }

    /** The run's timeline, once both RunSpec and StartRun are known; {@code null} before. */
    RunSchedule schedule() {
        return ready() ? RunSchedule.of(spec, start, stopSentAt) : null;
    }

    /**
     * True when every agent of the spec has sent its last report (and the run can be windowed): the run ends now,
     * whatever the reports say; {@link RunVerdict} judges whether it is complete.
     */
    public boolean allAgentsEnded() {
        // Asked after every accepted report: the size test keeps it O(1) until the last agents end (containsAll
        // alone walked the spec's agents for every last report, quadratic in a 10,000-agent run's final second).
        return ready()
                && !spec.agentIds().isEmpty()
                && lastReported.size() >= spec.agentIds().size()
                && lastReported.containsAll(spec.agentIds());
    }

    /** True when the run is due to end: every agent ended, its deadline passed, or a StopRun's grace passed. */
    public boolean due(long now, Duration runGrace, Duration stopGrace) {
        return allAgentsEnded()
                || (start != null && now >= start.deadlineAt() + runGrace.toMillis())
                || (stop != null && now >= stopSeenAt + stopGrace.toMillis());
    }

    /**
     * The {@code AgentFailed} to forward to the events topic when this just-accepted report is an agent's last, it
     * ended abnormally before the measurement's end, and the run goes on without it: the controller then stops
     * the rest at once instead of letting them run to the deadline. Given once per agent.
     */
    public Optional<AgentFailed> earlyFailure(StatsReport report) {
        if (!report.last() || report.stop() == null || !report.stop().abnormal()) {
            return Optional.empty();
        }
        // A StopRun already on its way, or every agent done: there is nothing left to stop.
        if (stop != null || allAgentsEnded()) {
            return Optional.empty();
        }
        RunSchedule schedule = schedule();
        if (schedule != null
                && !schedule.openEnded()
                && report.intervalEndMs() >= schedule.measureEnd() - RunVerdict.COVERAGE_TOLERANCE_MS) {
            return Optional.empty();
        }
        if (!failuresForwarded.add(report.agentId())) {
            return Optional.empty();
        }
        dirty = true;
        String detail = report.stopDetail() == null || report.stopDetail().isBlank() ? "" : ": " + report.stopDetail();
        return Optional.of(new AgentFailed(
                report.workerId(), List.of(report.agentId()), -1, report.stop().name() + detail, List.of()));
    }

    /** Closes, in order, the windows that are due (see {@link RunWindows#closeDue}). */
    public List<WindowSummary> closeDueWindows(long now, Duration grace) {
        RunSchedule schedule = schedule();
        if (schedule == null) {
            return List.of();
        }
        List<WindowSummary> closed =
                windows.closeDue(now, grace, schedule, this::allAgentsPast, allAgentsEnded(), subscriptions());
        dirty |= !closed.isEmpty();
        return closed;
    }

    /** Closes every open window; the last one is marked {@code last}. */
    public List<WindowSummary> closeAllWindows() {
        RunSchedule schedule = schedule();
        if (schedule == null) {
            return List.of();
        }
        List<WindowSummary> closed = windows.closeAll(schedule, subscriptions());
        dirty |= !closed.isEmpty();
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

    /**
     * The run summary over the measured phases, with the status it earned; {@code measuredWindows} are the run's
     * published windows.
     */
    public RunSummary summarize(long completedAt, List<WindowSummary> measuredWindows) {
        long[] totals = measured.totals();
        RunVerdict verdict = RunVerdict.judge(
                this,
                new RunVerdict.Sends(totals[Counters.SENT], totals[Counters.SEND_ERRORS], measured.errorsByType()));
        return RunSummaries.of(this, measured, verdict, completedAt, measuredWindows);
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

    Long stopSentAt() {
        return stopSentAt;
    }

    Map<String, AgentFacts> agentFacts() {
        return agents;
    }

    Long watermark(String agent) {
        return watermarks.get(agent);
    }

    /** The highest interval end any agent reported, or {@code null} before any report. */
    Long highestWatermark() {
        return watermarks.values().stream().max(Long::compare).orElse(null);
    }

    boolean ended(String agent) {
        return lastReported.contains(agent);
    }

    /** The state to persist; clears the dirty flag and the folded log keys (the caller deletes those). */
    public RunCheckpoint checkpoint() {
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
                windows.closedSent(),
                windows.closedReceived(),
                windows.closedThrough(),
                measured.checkpoint(),
                windows.checkpoint(),
                stopSentAt,
                new TreeMap<>(agents),
                List.copyOf(failuresForwarded));
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
        run.stopSentAt = checkpoint.stopSentAt();
        run.agents.putAll(checkpoint.agents());
        run.failuresForwarded.addAll(checkpoint.failuresForwarded());
        if (checkpoint.measured() != null) {
            run.measured = StatsAccumulator.restore(checkpoint.measured());
        }
        run.windows.restore(
                checkpoint.closedSent(),
                checkpoint.closedReceived(),
                checkpoint.closedThrough(),
                checkpoint.openWindows());
        return run;
    }

    private void touch(long now) {
        lastActivityAt = Math.max(lastActivityAt, now);
        dirty = true;
    }
}
