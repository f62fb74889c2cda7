package io.kbench.protocol.message;

/** Who heartbeats into the registry. */
public enum MemberRole {
    WORKER,
    AGGREGATOR
}
