package io.kbench.agent.stats;

import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.StopRun;
import java.util.Objects;

/**
 * Why an agent JVM stopped, as every one of its agents' last {@code StatsReport}s says ({@code stop},
 * {@code stopDetail}). A typed pair rather than a free-text reason, so that the cause reaches the report intact and
 * the aggregator can tell a run cut short from one that ended as planned.
 *
 * @param kind the cause
 * @param detail one line about it (the StopRun's reason, the failure, the deadline), or {@code null}
 */
public record StopCause(AgentStop kind, String detail) {

    public StopCause {
        Objects.requireNonNull(kind, "kind");
    }

    /** The measurement's scheduled end passed: everything asked for was measured. */
    public static StopCause scheduleEnd(long stopAtMs) {
        return new StopCause(AgentStop.SCHEDULE_END, "measurement ended at " + stopAtMs);
    }

    /** The deadline passed before the schedule ended (or before any {@code StartRun}). */
    public static StopCause deadline(long deadlineAtMs) {
        return new StopCause(AgentStop.DEADLINE, "deadline " + deadlineAtMs + " passed before the schedule ended");
    }

    /** A {@code StopRun}: the detail is its reason name, then its own detail, e.g. {@code "ABORTED: p3 failed"}. */
    public static StopCause runStopped(StopRun stop) {
        String reason =
                stop.reason() == null ? "no reason given" : stop.reason().name();
        return new StopCause(AgentStop.RUN_STOPPED, stop.detail() == null ? reason : reason + ": " + stop.detail());
    }

    /** stdin ended or failed: the worker daemon that relays the commands is gone. */
    public static StopCause daemonGone(String detail) {
        return new StopCause(AgentStop.DAEMON_GONE, detail);
    }

    /** The JVM is shutting down (SIGTERM, SIGINT): the shutdown hook asked for the stop. */
    public static StopCause signal(String detail) {
        return new StopCause(AgentStop.SIGNAL, detail);
    }

    /** A fatal problem; the JVM exits with {@code EXIT_FAILED} and this reason. */
    public static StopCause failed(String reason) {
        return new StopCause(AgentStop.FAILED, reason);
    }
}
