package io.kbench.protocol.message;

/**
 * A registry entry, re-sent every heartbeat interval; a tombstone (null value) removes the member.
 *
 * @param capacity agents this member may run (workers); 0 for aggregators
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
        long heartbeatIntervalMs)
        implements Message {}
