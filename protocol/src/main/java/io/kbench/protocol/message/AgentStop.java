package io.kbench.protocol.message;

/**
 * Why an agent stopped, carried by its last {@link StatsReport}. Only {@link #SCHEDULE_END} and a {@link
 * #RUN_STOPPED} by a {@code StopRun(COMPLETED)} are normal ends; every other cause means the agent measured less
 * than the run asked for, and the run cannot be {@link RunStatus#COMPLETE}.
 */
public enum AgentStop {
    /** The measurement's scheduled end passed: everything asked for was measured. */
    SCHEDULE_END,
    /** A {@code StopRun} arrived; its reason is in the report's {@code stopDetail}. */
    RUN_STOPPED,
    /** The assignment's deadline passed before the schedule ended. */
    DEADLINE,
    /** The agent's stdin closed: its worker daemon died or stopped. */
    DAEMON_GONE,
    /** The JVM received a termination signal (SIGTERM, SIGINT). */
    SIGNAL,
    /** The agent failed (a client error, an unreachable cluster); the reason is in {@code stopDetail}. */
    FAILED;

    /** True for causes that end an agent before or outside its plan. */
    public boolean abnormal() {
        return this != SCHEDULE_END && this != RUN_STOPPED;
    }
}
