package io.kbench.protocol.message;

/** A daemon refused an assignment, and why. */
public record AssignmentRejected(String workerId, String assignmentId, Reason reason, String detail)
        implements Message {
    public enum Reason {
        OVER_CAPACITY,
        TARGET_NOT_ALLOWED,
        BAD_SIGNATURE,
        JVM_OPTIONS_NOT_ALLOWED,
        INVALID
    }
}
