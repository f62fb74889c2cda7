package io.kbench.aggregator.run;

import io.kbench.protocol.histogram.SparseHistogram;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.WindowSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * The tumbling windows of one run that are still open, and the counters of those already published (for the
 * cumulative backlog). Where a report falls and how long a window is comes from the {@link RunSchedule}.
 *
 * <p>Every window's {@code windowEnd} is its nominal end and its rates are over that length: a window holds the
 * reports whose middle falls in it, about one window's worth of data whatever the reports' own boundaries. Only
 * the measurement's last window may be shorter, when the measurement is not a multiple of the window.
 */
final class RunWindows {

    private final String runId;
    private final TreeMap<Long, StatsAccumulator> open = new TreeMap<>();
    private long closedSent;
    private long closedReceived;
    private long closedThrough = Long.MIN_VALUE;

    RunWindows(String runId) {
        this.runId = runId;
    }

    void add(StatsReport report, Map<LatencyKind, SparseHistogram> decoded, RunSchedule schedule) {
        long windowStart = schedule.windowStartFor(report);
        if (windowStart < closedThrough) {
            // Its window is already published: the run totals and the backlog still count it.
            closedSent += report.messagesSent() + report.sentOutsidePhase();
            closedReceived += report.messagesReceived();
            return;
        }
        boolean measured = report.phase().isMeasured();
        open.computeIfAbsent(windowStart, s -> new StatsAccumulator(s, schedule.windowEndFor(s, measured)))
                .add(report, decoded);
    }

    /**
     * Closes, in order, the windows that are due: every agent reported past the window's end, or its end plus
     * {@code grace} has passed in wall-clock time. The measurement's last window waits for every agent's last
     * report instead (or the run's end): the agents' final reports, cut when they close after the stop, carry the
     * late acks of the measurement and belong to it.
     */
    List<WindowSummary> closeDue(
            long now,
            Duration grace,
            RunSchedule schedule,
            LongPredicate everyAgentPast,
            boolean everyAgentEnded,
            int subscriptions) {
        List<WindowSummary> closed = new ArrayList<>();
        while (!open.isEmpty()) {
            StatsAccumulator first = open.firstEntry().getValue();
            boolean finalMeasured = first.phase() != null
                    && first.phase().isMeasured()
                    && schedule.isFinalMeasuredWindow(first.nominalEnd());
            boolean due = finalMeasured
                    ? everyAgentEnded
                    : now >= first.nominalEnd() + grace.toMillis() || everyAgentPast.test(first.nominalEnd());
            if (!due) {
                break;
            }
            closed.add(close(open.pollFirstEntry().getValue(), false, schedule, subscriptions));
        }
        return closed;
    }

    /** Closes every open window; the last one is marked {@code last}. */
    List<WindowSummary> closeAll(RunSchedule schedule, int subscriptions) {
        List<WindowSummary> closed = new ArrayList<>();
        while (!open.isEmpty()) {
            closed.add(close(open.pollFirstEntry().getValue(), open.isEmpty(), schedule, subscriptions));
        }
        return closed;
    }

    private WindowSummary close(StatsAccumulator window, boolean last, RunSchedule schedule, int subscriptions) {
        long[] totals = window.totals();
        closedSent += totals[Counters.SENT] + totals[Counters.SENT_OUTSIDE_PHASE];
        closedReceived += totals[Counters.RECEIVED];
        closedThrough = Math.max(closedThrough, window.nominalEnd());
        long end = endOf(window, last, schedule);
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
                Math.max(0, closedSent * subscriptions - closedReceived),
                window.latencies(),
                window.perWorkerRates(span),
                window.perAgentRates(span),
                Counters.cpuPercent(totals, span),
                window.agents(),
                last);
    }

    /**
     * The window's nominal end. A measured window of an open-ended run was opened before the stop was known: it
     * ends at the stop, or, when no stop is known when the run ends, at its reports' end.
     */
    private static long endOf(StatsAccumulator window, boolean last, RunSchedule schedule) {
        long end = window.nominalEnd();
        boolean measured = window.phase() != null && window.phase().isMeasured();
        if (measured && schedule.openEnded()) {
            if (schedule.measureEnd() != Long.MAX_VALUE) {
                end = Math.min(end, schedule.measureEnd());
            } else if (last) {
                end = Math.min(end, window.maxIntervalEnd());
            }
        }
        return Math.max(end, window.start() + 1);
    }

    List<StatsCheckpoint> checkpoint() {
        List<StatsCheckpoint> windows = new ArrayList<>();
        open.values().forEach(w -> windows.add(w.checkpoint()));
        return windows;
    }

    long closedSent() {
        return closedSent;
    }

    long closedReceived() {
        return closedReceived;
    }

    long closedThrough() {
        return closedThrough;
    }

    void restore(long sent, long received, long through, List<StatsCheckpoint> windows) {
        closedSent = sent;
        closedReceived = received;
        closedThrough = through;
        windows.forEach(w -> open.put(w.start(), StatsAccumulator.restore(w)));
    }
}
