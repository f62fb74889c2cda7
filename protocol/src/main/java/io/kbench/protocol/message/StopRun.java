package io.kbench.protocol.message;

/**
 * Stops every agent of a run.
 *
 * <p>{@code COMPLETED}: the run is done (or its playbook ended it). {@code ABORTED}: part of the fleet failed, so
 * the rest is stopped early; the run's status then follows from what was measured (INCOMPLETE). {@code FAILED}:
 * the run cannot produce a valid result. {@code INTERRUPTED}/{@code OPERATOR}: a person stopped it.
 */
public record StopRun(Reason reason, String detail) implements Message {
    public enum Reason {
        COMPLETED,
        INTERRUPTED,
        FAILED,
        OPERATOR,
        ABORTED
    }
}
