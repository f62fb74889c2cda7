package io.kbench.agent.stats;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StatsReport;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * Turns one agent's live {@link AgentStats} into consecutive {@link StatsReport}s: counter deltas and interval
 * histograms since the previous cut. Each report starts where the previous one ended, so an agent's reports tile
 * time without gaps or overlaps. Used by one thread at a time (the stats thread, then the stopping thread for the
 * last report).
 */
public final class IntervalCutter {

    private final String agentId;
    private final String workerId;
    private final AgentStats stats;
    private final CpuMeter cpu;
    private final int agentsInJvm;
    private final long intervalMs;

    private long seq;
    private long intervalStartMs;
    /** The sends counted so far by the phase of their intended time: [0] before the measurement, [1] in it. */
    private final long[] lastSent = new long[2];

    private final long[] lastBytesSent = new long[2];
    private long lastReceived;
    private long lastBytesReceived;
    private long lastNegative;
    private long lastCpuNanos;
    private long lastCompileMillis;
    private long lastGcMillis;
    private long lastGcCount;
    private Map<String, Long> lastErrors = new HashMap<>();
    private Phase phase;
    /** When the previous cut was made (the clock, not the report's end): what it read is spoken for. */
    private long lastCutAtMs;
    /** The next free-running cut, used until the run's schedule (and with it the grid) is known. */
    private long nextDueMs;

    /**
     * @param agentsInJvm the JVM's CPU time is shared equally among its agents
     * @param startMs when the first interval begins (epoch ms)
     * @param phase the phase at {@code startMs}
     */
    public IntervalCutter(
            String agentId,
            String workerId,
            AgentStats stats,
            CpuMeter cpu,
            int agentsInJvm,
            long intervalMs,
            long startMs,
            Phase phase) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("intervalMs must be > 0, got " + intervalMs);
        }
        this.agentId = agentId;
        this.workerId = workerId;
        this.stats = stats;
        this.cpu = cpu;
        this.agentsInJvm = Math.max(agentsInJvm, 1);
        this.intervalMs = intervalMs;
        this.intervalStartMs = startMs;
        this.lastCpuNanos = cpu.processCpuNanos();
        this.lastCompileMillis = cpu.compileMillis();
        this.lastGcMillis = cpu.gcMillis();
        this.lastGcCount = cpu.gcCount();
        this.phase = phase;
        this.lastCutAtMs = startMs;
        this.nextDueMs = startMs + intervalMs;
    }

    public String agentId() {
        return agentId;
    }

    /**
     * The report for the interval from the previous cut to {@code endMs}, in the interval's phase.
     *
     * @param endMs the instant the report stands for: a grid point or phase boundary when the cut is scheduled, which
     *     the clock reaches a little late ({@code nowMs}); the samples of that lateness land in this report
     * @param nowMs when the cut is actually made
     */
    public StatsReport cut(long endMs, long nowMs) {
        return cut(endMs, nowMs, null);
    }

    /** The agent's last report, from the previous cut to {@code nowMs}, saying why it stopped. */
    public StatsReport cutLast(long nowMs, StopCause stop) {
        return cut(nowMs, nowMs, Objects.requireNonNull(stop, "stop"));
    }

    private StatsReport cut(long endMs, long nowMs, StopCause stop) {
        // A report counts the sends intended in its own phase; the others (warm-up messages acknowledged after
        // the measurement began) travel apart, for the backlog only.
        int own = phase != null && phase.isMeasured() ? 1 : 0;
        long[] sent = {stats.messagesSent(false), stats.messagesSent(true)};
        long[] bytesSent = {stats.bytesSent(false), stats.bytesSent(true)};
        long received = stats.messagesReceived();
        long bytesReceived = stats.bytesReceived();
        long negative = stats.negativeEndToEnd();
        Map<String, Long> errors = stats.errorsByType();
        long cpuNanos = cpu.processCpuNanos();
        long compileMillis = cpu.compileMillis();
        long gcMillis = cpu.gcMillis();
        long gcCount = cpu.gcCount();

        // Never end before the start: the wall clock can step back, and the previous report's end is this one's start.
        long end = Math.max(endMs, intervalStartMs);
        Map<LatencyKind, String> histograms = new EnumMap<>(LatencyKind.class);
        LatencyRecorder latencies = stats.latencies();
        Histogram[] intervals = latencies.sample();
        for (int i = 0; i < intervals.length; i++) {
            histograms.put(latencies.kinds().get(i), HistogramCodec.encode(intervals[i]));
        }
        Map<String, Long> errorDeltas = new HashMap<>();
        long errorTotal = 0;
        for (Map.Entry<String, Long> entry : errors.entrySet()) {
            long delta = entry.getValue() - lastErrors.getOrDefault(entry.getKey(), 0L);
            if (delta > 0) {
                errorDeltas.put(entry.getKey(), delta);
                if (!StatsReport.UNACKED_AT_STOP.equals(entry.getKey())) {
                    errorTotal += delta;
                }
            }
        }
        StatsReport report = new StatsReport(
                agentId,
                workerId,
                stats.role(),
                phase,
                seq++,
                intervalStartMs,
                end,
                sent[own] - lastSent[own],
                bytesSent[own] - lastBytesSent[own],
                errorTotal,
                errorDeltas,
                received - lastReceived,
                bytesReceived - lastBytesReceived,
                negative - lastNegative,
                Math.max(cpuNanos - lastCpuNanos, 0) / agentsInJvm,
                cpu.heapUsedBytes(),
                histograms,
                stop != null,
                stop == null ? null : stop.kind(),
                stop == null ? null : stop.detail(),
                sent[1 - own] - lastSent[1 - own],
                Math.max(compileMillis - lastCompileMillis, 0),
                Math.max(gcMillis - lastGcMillis, 0),
                Math.max(gcCount - lastGcCount, 0));
        System.arraycopy(sent, 0, lastSent, 0, 2);
        System.arraycopy(bytesSent, 0, lastBytesSent, 0, 2);
        lastReceived = received;
        lastBytesReceived = bytesReceived;
        lastNegative = negative;
        lastErrors = errors;
        lastCpuNanos = cpuNanos;
        lastCompileMillis = compileMillis;
        lastGcMillis = gcMillis;
        lastGcCount = gcCount;
        intervalStartMs = end;
        lastCutAtMs = Math.max(nowMs, lastCutAtMs);
        return report;
    }

    Phase phase() {
        return phase;
    }

    void phase(Phase phase) {
        this.phase = phase;
    }

    long intervalMs() {
        return intervalMs;
    }

    long intervalStartMs() {
        return intervalStartMs;
    }

    long lastCutAtMs() {
        return lastCutAtMs;
    }

    long nextDueMs() {
        return nextDueMs;
    }

    /**
     * Free-running cadence, before the schedule is known: keeps the cadence; after a stall the next report is one
     * interval from now, not a burst of them.
     */
    void scheduleNext(long nowMs, boolean restart) {
        nextDueMs = restart ? nowMs + intervalMs : nextDueMs + intervalMs;
        if (nextDueMs <= nowMs) {
            nextDueMs = nowMs + intervalMs;
        }
    }

    /** The first point of the grid {@code originMs + k * intervalMs} (k of either sign) strictly after {@code t}. */
    long gridPointAfter(long originMs, long t) {
        return gridPointAtOrBefore(originMs, t) + intervalMs;
    }

    /** The last point of the grid {@code originMs + k * intervalMs} at or before {@code t}. */
    long gridPointAtOrBefore(long originMs, long t) {
        return originMs + Math.floorDiv(t - originMs, intervalMs) * intervalMs;
    }
}
