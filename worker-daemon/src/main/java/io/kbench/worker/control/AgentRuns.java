package io.kbench.worker.control;

import io.kbench.protocol.message.RunAssignment;

/** What the control router asks of whoever runs the agents (the supervisor). */
public interface AgentRuns {

    /** Agents (tasks) whose JVM is alive. */
    int runningAgents();

    /** Whether this daemon has a live agent of the run. */
    boolean hasRun(String runId);

    /** Starts the assignment's agents; it has been validated. */
    void spawn(String runId, RunAssignment assignment);

    /** Writes one control line to the stdin of each agent of the run. */
    void relay(String runId, String line);

    /** Sends the stop line to each agent of the run, then stops them: stdin closed, destroyed after a grace period. */
    void stop(String runId, String stopLine);
}
