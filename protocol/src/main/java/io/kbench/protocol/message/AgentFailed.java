package io.kbench.protocol.message;

import java.util.List;

/**
 * An agent could not run or died.
 *
 * @param exitCode the JVM's exit code, or -1 when it is still unknown
 * @param reason what went wrong, naming the field or the cause
 * @param stderrTail the last lines the agent wrote to stderr
 */
public record AgentFailed(String workerId, List<String> agentIds, int exitCode, String reason, List<String> stderrTail)
        implements Message {
    public AgentFailed {
        agentIds = agentIds == null ? List.of() : List.copyOf(agentIds);
        stderrTail = stderrTail == null ? List.of() : List.copyOf(stderrTail);
    }
}
