package io.kbench.agent.run;

import io.kbench.agent.stats.StatsLoop;
import io.kbench.agent.stats.StopCause;
import io.kbench.protocol.message.Phase;
import java.util.OptionalLong;

/**
 * The phase of the run at any instant: {@code READY} until the start, {@code WARMUP}, then {@code MEASURE}, or the
 * backlog phase the controller set with {@code PauseConsumers} / {@code ResumeConsumers}. Thread-safe.
 */
public final class RunPhases implements StatsLoop.PhaseSource {

    private final long launchDeadlineAt;
    private volatile RunSchedule schedule;
    private volatile Phase backlogPhase;

    public RunPhases(long launchDeadlineAt) {
        this.launchDeadlineAt = launchDeadlineAt;
    }

    /** The schedule, or {@code null} before {@code StartRun}. */
    public RunSchedule schedule() {
        return schedule;
    }

    /** Sets the schedule once; returns false (and changes nothing) for a repeated {@code StartRun}. */
    public synchronized boolean start(RunSchedule newSchedule) {
        if (schedule != null) {
            return false;
        }
        schedule = newSchedule;
        return true;
    }

    /** When the agent must stop by schedule: the launch deadline until a {@code StartRun} arrives. */
    @Override
    public long stopAt() {
        RunSchedule current = schedule;
        return current == null ? launchDeadlineAt : current.stopAt();
    }

    /** The hard deadline: the launch's, or the earlier of it and the {@code StartRun}'s. */
    public long deadlineAt() {
        RunSchedule current = schedule;
        return current == null ? launchDeadlineAt : current.deadlineAt();
    }

    /** Why the agent stops when {@link #stopAt()} passes: the schedule's end, or the deadline. */
    public StopCause stopAtCause() {
        RunSchedule current = schedule;
        if (current != null && current.endsBySchedule()) {
            return StopCause.scheduleEnd(current.stopAt());
        }
        return StopCause.deadline(deadlineAt());
    }

    public void backlogPhase(Phase phase) {
        this.backlogPhase = phase;
    }

    @Override
    public Phase phaseAt(long epochMs) {
        RunSchedule current = schedule;
        if (current == null || epochMs < current.startAt()) {
            return Phase.READY;
        }
        if (epochMs < current.measureAt()) {
            return Phase.WARMUP;
        }
        Phase backlog = backlogPhase;
        return backlog != null ? backlog : Phase.MEASURE;
    }

    @Override
    public long nextBoundaryAfter(long epochMs) {
        RunSchedule current = schedule;
        if (current == null) {
            return Long.MAX_VALUE;
        }
        if (epochMs < current.startAt()) {
            return current.startAt();
        }
        if (epochMs < current.measureAt()) {
            return current.measureAt();
        }
        // The stop is a boundary too: the report up to it is the run's last full one (Long.MAX_VALUE if open-ended).
        if (epochMs < current.stopAt()) {
            return current.stopAt();
        }
        return Long.MAX_VALUE;
    }

    /** Reports are cut on a grid aligned to the measurement start, the origin of the aggregator's windows. */
    @Override
    public OptionalLong gridOriginMs() {
        RunSchedule current = schedule;
        return current == null ? OptionalLong.empty() : OptionalLong.of(current.measureAt());
    }
}
