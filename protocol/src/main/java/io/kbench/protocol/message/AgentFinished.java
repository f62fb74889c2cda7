package io.kbench.protocol.message;

import java.util.List;

/** An agent JVM exited. */
public record AgentFinished(String workerId, List<String> agentIds, int exitCode) implements Message {}
