package io.kbench.agent.stats;

import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StatsReport;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per JVM that cuts every agent's report each interval, and also at every phase change so that a
 * report never mixes warm-up with measurement samples. {@link #finish} stops it and cuts the last reports.
 *
 * <p>Once the run's schedule is known, reports are cut on a grid aligned to the measurement start ({@code measureAt
 * + k * statsIntervalMs}, k of either sign, so it covers the warm-up too) and at every scheduled boundary (start,
 * measurement start, stop), each labelled with the grid point or boundary it stands for even when the clock reaches
 * it a little late. The aggregator's windows are aligned the same way and take a report by {@code intervalEndMs - 1},
 * so a report never straddles two windows or two phases. Before the schedule is known (phase {@code READY}) the
 * cadence runs free from when the loop started. A backlog phase change (consumers paused or resumed, not scheduled)
 * is cut when it is seen.
 */
public final class StatsLoop {

    private static final Logger LOGGER = LoggerFactory.getLogger(StatsLoop.class);

    /** Where the run's phase comes from. */
    public interface PhaseSource {
        Phase phaseAt(long epochMs);

        /**
         * The next scheduled boundary after {@code epochMs} (a phase change, or the scheduled stop), or
         * Long.MAX_VALUE.
         */
        long nextBoundaryAfter(long epochMs);

        /** The instant the report grid is aligned to, or empty while there is no schedule (cadence runs free). */
        OptionalLong gridOriginMs();

        /** When the agents stop by schedule; what they count after it goes in their last report. */
        long stopAt();
    }

    private final List<IntervalCutter> cutters;
    private final PhaseSource phases;
    private final Consumer<StatsReport> sink;
    private final Clock clock;
    private final Object monitor = new Object();
    private final Thread thread;
    private boolean stopped;
    private boolean finished;

    public StatsLoop(List<IntervalCutter> cutters, PhaseSource phases, Consumer<StatsReport> sink, Clock clock) {
        this.cutters = List.copyOf(cutters);
        this.phases = phases;
        this.sink = sink;
        this.clock = clock;
        this.thread = new Thread(this::loop, "kbench-stats");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** A phase may have changed outside the schedule (consumers paused or resumed): look now. */
    public void wake() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    private void loop() {
        try {
            while (true) {
                long now = clock.millis();
                long wakeAt;
                synchronized (monitor) {
                    if (stopped) {
                        return;
                    }
                    wakeAt = tick(now);
                    long waitMs = wakeAt - clock.millis();
                    if (waitMs > 0) {
                        monitor.wait(waitMs);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The loop must not die silently: the run would lose its figures. Log and let finish() report.
            LOGGER.error("stats loop failed error={}", e.toString(), e);
        }
    }

    /** Cuts what is due at {@code nowMs}; returns when to look again. */
    long tick(long nowMs) {
        Phase current = phases.phaseAt(nowMs);
        OptionalLong gridOrigin = phases.gridOriginMs();
        long wakeAt = phases.nextBoundaryAfter(nowMs);
        for (IntervalCutter cutter : cutters) {
            if (pastTheStop(cutter, gridOrigin)) {
                continue;
            }
            // The first scheduled boundary after the report's start: a report must end there, never span it.
            long boundary = phases.nextBoundaryAfter(cutter.intervalStartMs());
            long due = dueAt(cutter, gridOrigin);
            boolean phaseChanged = current != cutter.phase();
            if (phaseChanged || nowMs >= due || nowMs >= boundary) {
                long endMs;
                if (nowMs >= boundary) {
                    endMs = boundary;
                } else if (nowMs >= due && gridOrigin.isPresent()) {
                    // The latest grid point passed: the due one, or a later one after a stall (one longer report, not
                    // a burst of empty ones).
                    endMs = cutter.gridPointAtOrBefore(gridOrigin.getAsLong(), nowMs);
                } else {
                    // Free-running, or a backlog phase change seen now.
                    endMs = nowMs;
                }
                sink.accept(cutter.cut(endMs, nowMs));
                // The next report starts at endMs, so its phase is the one at endMs (not now: a stall may have
                // carried the clock over more than one boundary, and each gets its own report).
                Phase next = phases.phaseAt(cutter.intervalStartMs());
                cutter.scheduleNext(nowMs, next != cutter.phase());
                cutter.phase(next);
                if (pastTheStop(cutter, gridOrigin)) {
                    continue;
                }
                due = dueAt(cutter, gridOrigin);
                boundary = phases.nextBoundaryAfter(cutter.intervalStartMs());
            }
            wakeAt = Math.min(wakeAt, Math.min(due, boundary));
        }
        return wakeAt;
    }

    /**
     * True once the cutter's report starts at or after the scheduled stop: no more regular cuts, the acks still coming
     * in while the producers close go in the last report ({@link #finish}).
     */
    private boolean pastTheStop(IntervalCutter cutter, OptionalLong gridOrigin) {
        return gridOrigin.isPresent() && cutter.intervalStartMs() >= phases.stopAt();
    }

    /** The next regular cut: the next grid point after the previous cut, or the free-running cadence. */
    private static long dueAt(IntervalCutter cutter, OptionalLong gridOrigin) {
        return gridOrigin.isPresent()
                ? cutter.gridPointAfter(gridOrigin.getAsLong(), cutter.lastCutAtMs())
                : cutter.nextDueMs();
    }

    /** Stops the thread and sends every agent's last report, saying why the agents stopped. Idempotent. */
    public void finish(StopCause stop) {
        synchronized (monitor) {
            if (finished) {
                return;
            }
            finished = true;
            stopped = true;
            monitor.notifyAll();
        }
        if (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long now = clock.millis();
        if (phases.gridOriginMs().isPresent()) {
            // The stop at stopAt races the loop's own cut there: make the cuts that are due (the stop, a grid point)
            // first, so the last report holds only what came after them.
            while (tick(now) <= now) {
                // more than one cut was due (a stall carried the clock over several): each gets its report
            }
        }
        for (IntervalCutter cutter : cutters) {
            sink.accept(cutter.cutLast(now, stop));
        }
    }
}
