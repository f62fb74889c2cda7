package io.kbench.protocol.message;

import java.util.List;

/** A daemon started an agent JVM running these agents. */
public record AgentSpawned(String workerId, List<String> agentIds, long pid) implements Message {}
