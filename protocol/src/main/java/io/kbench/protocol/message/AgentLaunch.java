package io.kbench.protocol.message;

import java.util.List;
import java.util.Map;

/**
 * The first line a daemon writes to a new agent JVM's stdin: the tasks it runs and where to report. Never on
 * a topic: it holds the control cluster's client settings, which may carry credentials.
 *
 * @param runId the run these tasks belong to
 * @param controlBootstrap the control cluster (metrics and events topics)
 * @param controlClientConfig client settings for the control cluster (TLS/SASL)
 * @param deadlineAt epoch ms after which the agent exits on its own
 * @param clock the host's clock offset against the control cluster, as its worker last estimated it; null when
 *     unknown. Producers carry it in their payloads and consumers correct end-to-end latency by it.
 * @param clockSkewMicros for tests: µs added to the agent's clock, to play a host whose clock is off (the worker
 *     daemon's {@code --clock-skew-ms}, which skews its own clock probes alike); 0 in real runs
 */
public record AgentLaunch(
        String runId,
        String workerId,
        List<AgentTask> tasks,
        String controlBootstrap,
        Map<String, String> controlClientConfig,
        String topicPrefix,
        long deadlineAt,
        ClockOffset clock,
        long clockSkewMicros)
        implements Message {
    public AgentLaunch {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        controlClientConfig = controlClientConfig == null ? Map.of() : Map.copyOf(controlClientConfig);
    }
}
