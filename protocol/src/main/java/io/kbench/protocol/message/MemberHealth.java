package io.kbench.protocol.message;

import java.util.Objects;

/**
 * Whether a registry member is doing its work, not merely alive: a worker whose control loop died or stopped
 * polling, or that cannot start agent JVMs, is {@link State#UNHEALTHY} and is never planned onto; an aggregator
 * says when it is {@link State#REBALANCING} or {@link State#RESTORING}, while windows and results wait for it.
 *
 * @param state what the member can do now
 * @param detail one line on why, empty when healthy
 * @param since epoch ms at which the member entered {@code state} (its own clock)
 * @param agentsFailed a worker's agents that failed to start or exited non-zero since it started; 0 for others
 */
public record MemberHealth(State state, String detail, long since, int agentsFailed) {

    /** A member's state, as its heartbeat says (wire names: never renamed). */
    public enum State {
        /** Working: a worker takes assignments, an aggregator processes records. */
        HEALTHY,
        /** Started but not yet working (an aggregator before its first assignment). */
        STARTING,
        /** An aggregator whose tasks are being (re)assigned: windows and results wait. */
        REBALANCING,
        /** An aggregator rebuilding its state from its changelog: windows and results wait. */
        RESTORING,
        /** Alive but not working; {@code detail} says why. Never planned onto. */
        UNHEALTHY
    }

    public MemberHealth {
        Objects.requireNonNull(state, "state");
        detail = detail == null ? "" : detail;
        if (since < 0) {
            throw new IllegalArgumentException("since must be >= 0, got " + since);
        }
        if (agentsFailed < 0) {
            throw new IllegalArgumentException("agentsFailed must be >= 0, got " + agentsFailed);
        }
    }

    public static MemberHealth healthy(long since) {
        return new MemberHealth(State.HEALTHY, "", since, 0);
    }

    /** A member of a version before health was reported: taken as healthy, as it was then. */
    public static MemberHealth unreported() {
        return new MemberHealth(State.HEALTHY, "", 0, 0);
    }

    public boolean isHealthy() {
        return state == State.HEALTHY;
    }

    /** The state in lower case, with the detail when there is one: {@code unhealthy (control loop stopped: …)}. */
    public String describe() {
        String name = state.name().toLowerCase(java.util.Locale.ROOT);
        return detail.isEmpty() ? name : name + " (" + detail + ")";
    }
}
