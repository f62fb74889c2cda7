package io.kbench.protocol.message;

/** How a run ended. */
public enum RunStatus {
    COMPLETE,
    /** The deadline passed before every agent sent its last report. */
    INCOMPLETE,
    INTERRUPTED,
    FAILED
}
