package io.kbench.controller.run;

import io.kbench.protocol.message.StopRun;
import java.time.Duration;
import java.util.Objects;

/**
 * Every duration the controller's run lifecycle obeys, in one place (docs/architecture.md, A run, has the same
 * table). {@link #DEFAULTS} are what the CLI uses; tests shrink them.
 *
 * @param startLead StartRun's {@code startAt} is this far after the last AgentReady, so every daemon has relayed
 *     it before the instant comes
 * @param readyTimeout how long agents may take to be ready when the request names no {@code --ready-timeout}
 * @param summaryGrace after StartRun's {@code deadlineAt}, how long the aggregator's RunSummary is waited for
 * @param interruptWait after an interrupt's StopRun, how long the agents' last reports and the summary are waited
 *     for before writing what the windows show
 * @param abortWait after a StopRun(ABORTED), how long the aggregator's verdict is waited for (it waits its own
 *     stop grace, 5 s, for last reports first)
 * @param assignmentSlack added to RunAssignment's deadline beyond ready timeout, warm-up, measurement and mode
 *     budget: agents outlive a slow start by this much, never longer
 * @param startRunSlack added to StartRun's deadline beyond warm-up, measurement and mode budget
 * @param clusterTimeout how long the control cluster and the cluster under test may take to answer
 * @param pollInterval the longest the lifecycle loop waits for records before it checks the clock and the
 *     interrupt again; far below the 2 s within which an AgentFailed must become a StopRun
 */
public record RunTimings(
        Duration startLead,
        Duration readyTimeout,
        Duration summaryGrace,
        Duration interruptWait,
        Duration abortWait,
        Duration assignmentSlack,
        Duration startRunSlack,
        Duration clusterTimeout,
        Duration pollInterval) {

    /** The limit {@link #pollInterval} must stay under so the loop can answer an AgentFailed within 2 s. */
    static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(1);

    public static final RunTimings DEFAULTS = new RunTimings(
            Duration.ofMillis(1500),
            Duration.ofSeconds(90),
            Duration.ofSeconds(30),
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            Duration.ofSeconds(15),
            Duration.ofSeconds(10),
            Duration.ofMillis(200));

    public RunTimings {
        requireNotNegative("startLead", startLead);
        requireNotNegative("summaryGrace", summaryGrace);
        requireNotNegative("interruptWait", interruptWait);
        requireNotNegative("abortWait", abortWait);
        requireNotNegative("assignmentSlack", assignmentSlack);
        requireNotNegative("startRunSlack", startRunSlack);
        requirePositive("readyTimeout", readyTimeout);
        requirePositive("clusterTimeout", clusterTimeout);
        requirePositive("pollInterval", pollInterval);
        if (pollInterval.compareTo(MAX_POLL_INTERVAL) > 0) {
            throw new IllegalArgumentException(
                    "pollInterval must be <= " + MAX_POLL_INTERVAL.toMillis() + " ms, got " + pollInterval);
        }
    }

    /** The RunAssignment's deadline: agents of a run that never started or never ended stop on their own. */
    public long assignmentDeadline(long publishAt, Duration readyTimeout, long runMs) {
        return publishAt + readyTimeout.toMillis() + runMs + assignmentSlack.toMillis();
    }

    /** StartRun's {@code deadlineAt}; {@code runMs} is warm-up + measurement + the mode's extra budget. */
    public long startRunDeadline(long startAt, long runMs) {
        return startAt + runMs + startRunSlack.toMillis();
    }

    /** How long a StopRun this controller sent waits for the summary before the run is written without one. */
    public Duration stopWait(StopRun.Reason reason) {
        return reason == StopRun.Reason.INTERRUPTED ? interruptWait : abortWait;
    }

    private static void requireNotNegative(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + value);
        }
    }

    private static void requirePositive(String field, Duration value) {
        requireNotNegative(field, value);
        if (value.isZero()) {
            throw new IllegalArgumentException(field + " must be > 0, got " + value);
        }
    }
}
