package io.kbench.protocol;

/**
 * The pipe between a worker daemon and an agent JVM it started.
 *
 * <ul>
 *   <li>stdin, daemon → agent: one JSON envelope per line. The first is an {@code AgentLaunch}; the ones after
 *       it are control envelopes the daemon relays ({@code StartRun}, {@code RateChange}, {@code PauseConsumers},
 *       {@code ResumeConsumers}, {@code StopRun}). End of input means the daemon is gone: the agent stops.
 *   <li>stdout, agent → daemon: lines that start with {@link #EVENT_PREFIX} carry an envelope ({@code AgentReady},
 *       {@code AgentFailed}) for the daemon to publish to the events topic; every other line is log output.
 * </ul>
 */
public final class AgentIo {

    /** Prefix of an event line on an agent's stdout. */
    public static final String EVENT_PREFIX = "@kbench-event ";

    /** The agent JVM's main class. The daemon starts it from its own class path, never from a topic. */
    public static final String AGENT_MAIN_CLASS = "io.kbench.agent.AgentMain";

    /** Exit code: the agent ran and stopped as asked. */
    public static final int EXIT_OK = 0;
    /** Exit code: the task was invalid (a field out of range, a missing payload file…); the reason is on stderr. */
    public static final int EXIT_BAD_TASK = 2;
    /** Exit code: the agent failed while running (the cluster unreachable, an unexpected error). */
    public static final int EXIT_FAILED = 3;

    /**
     * System property (milliseconds) the daemon sets on an agent JVM: how long each agent waits for its topics'
     * metadata, counted from when that agent first asks (not from the JVM's start: many JVMs starting at once on
     * few cores get there at different times).
     */
    public static final String METADATA_TIMEOUT_PROPERTY = "kbench.agent.metadataTimeoutMs";

    /** The metadata wait when the daemon sets none: an unreachable cluster shows within this. */
    public static final long DEFAULT_METADATA_TIMEOUT_MS = 30_000;

    private AgentIo() {}
}
