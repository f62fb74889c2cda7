package io.kbench.agent.run;

import io.kbench.protocol.message.StartRun;

/**
 * The absolute instants of a run as one agent JVM sees them, in epoch ms.
 *
 * @param startAt when load starts (the barrier)
 * @param measureAt when warm-up ends and measurement starts
 * @param measureEndAt when measurement ends by schedule, {@code Long.MAX_VALUE} with {@code measureMs <= 0}
 * @param stopAt when the agent stops: the end of measurement, or the deadline if that comes first; with {@code
 *     measureMs <= 0} measurement lasts until a {@code StopRun} or the deadline
 * @param deadlineAt the earliest of the launch's and the {@code StartRun}'s deadlines
 */
public record RunSchedule(long startAt, long measureAt, long measureEndAt, long stopAt, long deadlineAt) {

    public RunSchedule {
        if (measureAt < startAt) {
            throw new IllegalArgumentException("measureAt " + measureAt + " is before startAt " + startAt);
        }
    }

    /** The schedule a {@link StartRun} sets, bounded by the launch's deadline. */
    public static RunSchedule of(StartRun start, long launchDeadlineAt) {
        long deadline = start.deadlineAt() > 0 ? Math.min(start.deadlineAt(), launchDeadlineAt) : launchDeadlineAt;
        long measureAt = start.startAt() + Math.max(start.warmupMs(), 0);
        long measureEnd = start.measureMs() > 0 ? measureAt + start.measureMs() : Long.MAX_VALUE;
        return new RunSchedule(start.startAt(), measureAt, measureEnd, Math.min(measureEnd, deadline), deadline);
    }

    /**
     * True when the agent stops because the measurement ended as scheduled, false when the deadline comes first (or
     * the measurement has no end). A measurement that ends exactly at the deadline was measured in full.
     */
    public boolean endsBySchedule() {
        return measureEndAt <= deadlineAt;
    }
}
