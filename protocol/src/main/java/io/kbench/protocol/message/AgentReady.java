package io.kbench.protocol.message;

/** The agent is connected: a producer has its topic's metadata, a consumer its partitions. */
public record AgentReady(String workerId, String agentId) implements Message {}
