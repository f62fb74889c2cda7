package io.kbench.agent.stats;

import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StatsReport;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per JVM that cuts every agent's report each interval, and also at every phase change so that a
 * report never mixes warm-up with measurement samples. {@link #finish} stops it and cuts the last reports.
 */
public final class StatsLoop {

    private static final Logger LOGGER = LoggerFactory.getLogger(StatsLoop.class);

    /** Where the run's phase comes from. */
    public interface PhaseSource {
        Phase phaseAt(long epochMs);

        /** The next instant after {@code epochMs} at which the phase changes by schedule, or Long.MAX_VALUE. */
        long nextBoundaryAfter(long epochMs);
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
        long wakeAt = phases.nextBoundaryAfter(nowMs);
        for (IntervalCutter cutter : cutters) {
            if (current != cutter.phase()) {
                sink.accept(cutter.cut(nowMs, false));
                cutter.phase(current);
                cutter.scheduleNext(nowMs, true);
            } else if (nowMs >= cutter.nextDueMs()) {
                sink.accept(cutter.cut(nowMs, false));
                cutter.scheduleNext(nowMs, false);
            }
            wakeAt = Math.min(wakeAt, cutter.nextDueMs());
        }
        return wakeAt;
    }

    /** Stops the thread and sends every agent's last report. Idempotent. */
    public void finish() {
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
        for (IntervalCutter cutter : cutters) {
            sink.accept(cutter.cut(now, true));
        }
    }
}
