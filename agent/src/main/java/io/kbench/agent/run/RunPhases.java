package io.kbench.agent.run;

import io.kbench.agent.stats.StatsLoop;
import io.kbench.protocol.message.Phase;

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
    public long stopAt() {
        RunSchedule current = schedule;
        return current == null ? launchDeadlineAt : current.stopAt();
    }

    /** The hard deadline: the launch's, or the earlier of it and the {@code StartRun}'s. */
    public long deadlineAt() {
        RunSchedule current = schedule;
        return current == null ? launchDeadlineAt : current.deadlineAt();
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
        return Long.MAX_VALUE;
    }
}
