package io.kbench.protocol.message;

/** Phases of a run as an agent sees them; the run summary excludes {@link #WARMUP}. */
public enum Phase {
    /** Connected, waiting for the start barrier. Nothing is measured. */
    READY,
    WARMUP,
    MEASURE,
    /** Backlog mode: consumers paused while producers build the backlog. */
    BACKLOG_BUILD,
    /** Backlog mode: consumers resumed and draining. */
    BACKLOG_DRAIN;

    public boolean isMeasured() {
        return this == MEASURE || this == BACKLOG_BUILD || this == BACKLOG_DRAIN;
    }
}
