package io.kbench.aggregator.run;

import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;

/**
 * A run's timeline as its control records fix it, and where a report's window falls on it.
 *
 * <p>Warm-up windows are aligned to {@code startAt} and stop at {@code measureStart}; measured windows are aligned
 * to {@code measureStart} and stop at {@code measureEnd}, so no window mixes warm-up and measurement and no window
 * lies past the measurement. {@code measureEnd} is the scheduled end ({@code measureStart + measureMs}); for an
 * open-ended run ({@code measureMs == 0}) it is the time the {@code StopRun} was sent, or {@link Long#MAX_VALUE}
 * while none is known.
 */
record RunSchedule(long startAt, long measureStart, long measureEnd, long windowMs, boolean openEnded) {

    static RunSchedule of(RunSpec spec, StartRun start, Long stopSentAt) {
        long measureStart = start.startAt() + Math.max(0, start.warmupMs());
        boolean openEnded = start.measureMs() <= 0;
        long measureEnd;
        if (!openEnded) {
            measureEnd = measureStart + start.measureMs();
        } else if (stopSentAt != null) {
            measureEnd = Math.max(stopSentAt, measureStart + 1);
        } else {
            measureEnd = Long.MAX_VALUE;
        }
        return new RunSchedule(start.startAt(), measureStart, measureEnd, spec.windowSeconds() * 1000L, openEnded);
    }

    /** The scheduled measurement in ms; 0 for an open-ended run. */
    long measureMs() {
        return openEnded ? 0 : measureEnd - measureStart;
    }

    /**
     * The start of the window a report belongs to: the one holding the middle of the report's interval.
     *
     * <p>Agents cut reports on a grid aligned to the measurement start, each cut a few ms late. Placing a report by
     * its last millisecond put every late boundary report in the next window, so the first measured window lost one
     * report (10–20 % low) and others gained one; the middle of an interval lies well inside the grid step the
     * report covers. A measured report past the measurement's end (the agents' final reports carry the acks that
     * came in after the stop) belongs to the last measured window, so that tail never forms a tiny extra window.
     */
    long windowStartFor(StatsReport report) {
        long t = middleOf(report);
        t = Math.max(t, startAt);
        long base;
        if (report.phase().isMeasured()) {
            t = Math.min(Math.max(t, measureStart), measureEnd - 1);
            base = measureStart;
        } else {
            t = measureStart > startAt ? Math.min(t, measureStart - 1) : t;
            base = startAt;
        }
        return base + Math.floorDiv(t - base, windowMs) * windowMs;
    }

    /** The nominal end of a window: one window length on, cut at the phase's end. */
    long windowEndFor(long windowStart, boolean measuredPhase) {
        long end = windowStart + windowMs;
        if (!measuredPhase && windowStart < measureStart && end > measureStart) {
            return measureStart;
        }
        if (measuredPhase && end > measureEnd) {
            return Math.max(measureEnd, windowStart + 1);
        }
        return end;
    }

    /** True when a measured window ending at {@code windowEnd} is the measurement's last one. */
    boolean isFinalMeasuredWindow(long windowEnd) {
        return windowEnd >= measureEnd;
    }

    private static long middleOf(StatsReport report) {
        long end = report.intervalEndMs();
        long start = report.intervalStartMs();
        if (start <= 0 || start >= end) {
            return end - 1;
        }
        return start + (end - start - 1) / 2;
    }
}
