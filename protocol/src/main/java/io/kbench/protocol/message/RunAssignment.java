package io.kbench.protocol.message;

import java.util.List;

/**
 * The agent tasks one worker is to run. Idempotent: a daemon runs an {@code assignmentId} once, however often
 * it is delivered.
 *
 * @param agentsPerJvm how many tasks share one agent JVM (1: one JVM per producer or consumer)
 * @param jvmOptions extra JVM options for the agents; a daemon rejects any outside its allow list
 * @param deadlineAt epoch ms after which every agent of this assignment stops on its own
 */
public record RunAssignment(
        String assignmentId,
        String workerId,
        List<AgentTask> tasks,
        int agentsPerJvm,
        List<String> jvmOptions,
        long deadlineAt)
        implements Message {

    public RunAssignment {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        agentsPerJvm = Math.max(agentsPerJvm, 1);
    }
}
