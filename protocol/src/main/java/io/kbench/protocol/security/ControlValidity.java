package io.kbench.protocol.security;

import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunAssignment;
import java.time.Duration;

/**
 * How long a control record the controller writes stays actionable. Every reader acts on a control record when it
 * arrives, seconds after it was written: a daemon reads the control topic from its end, and only an aggregator
 * catching up after a restart reads a record later. So a short life costs nothing and bounds how long a copy of
 * the record could be replayed, how far back a starting reader must scan the control topic for seen ids, and how
 * many ids it keeps.
 *
 * <ul>
 *   <li>{@code RunAssignment}: until its deadline, at most {@link #DEFAULT}. A daemon refuses an assignment past its
 *       deadline anyway, and the controller gives up on agents that are not ready long before.
 *   <li>Everything else ({@code RunSpec}, {@code StartRun}, {@code StopRun}, {@code RateChange}, {@code
 *       Pause/ResumeConsumers}): {@link #DEFAULT}, 15 minutes. Long enough for an aggregator restarted mid-run to
 *       restore its state and catch up, and for clocks that disagree by minutes; a run's later commands are new
 *       records, so a run of any length never needs an older record to stay valid.
 * </ul>
 */
public final class ControlValidity {

    public static final Duration DEFAULT = Duration.ofMinutes(15);

    /** Even a record at its deadline is given this long, so the readers see it rather than an instant expiry. */
    static final Duration MINIMUM = Duration.ofSeconds(5);

    private ControlValidity() {}

    /** The time to live of {@code message} written at {@code now} (epoch ms). */
    public static Duration of(Message message, long now) {
        if (message instanceof RunAssignment assignment) {
            long untilDeadline = assignment.deadlineAt() - now;
            return Duration.ofMillis(Math.max(MINIMUM.toMillis(), Math.min(DEFAULT.toMillis(), untilDeadline)));
        }
        return DEFAULT;
    }
}
