package io.kbench.protocol.message;

import java.util.Objects;

/**
 * A registry entry, re-sent every heartbeat interval; a tombstone (null value) removes the member.
 *
 * @param capacity agents this member may run (workers); 0 for aggregators
 * @param health whether the member is working (its control loop, its agents, its Streams state); null, or a
 *     heartbeat without one (an older member), reads as healthy
 * @param clock a worker's clock offset against the control cluster with its uncertainty; null when not (yet)
 *     estimated, and for aggregators
 */
public record MemberHeartbeat(
        String memberId,
        MemberRole role,
        String host,
        int cores,
        long memoryBytes,
        int capacity,
        int runningAgents,
        String version,
        long startedAt,
        long heartbeatIntervalMs,
        MemberHealth health,
        ClockOffset clock)
        implements Message {

    public MemberHeartbeat {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(role, "role");
        health = health == null ? MemberHealth.unreported() : health;
    }
}
