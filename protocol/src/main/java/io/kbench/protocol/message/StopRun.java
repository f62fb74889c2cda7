package io.kbench.protocol.message;

/** Stops every agent of a run. */
public record StopRun(Reason reason, String detail) implements Message {
    public enum Reason {
        COMPLETED,
        INTERRUPTED,
        FAILED,
        OPERATOR
    }
}
