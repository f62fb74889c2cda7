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
 */
public record AgentLaunch(
        String runId,
        String workerId,
        List<AgentTask> tasks,
        String controlBootstrap,
        Map<String, String> controlClientConfig,
        String topicPrefix,
        long deadlineAt)
        implements Message {
    public AgentLaunch {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        controlClientConfig = controlClientConfig == null ? Map.of() : Map.copyOf(controlClientConfig);
    }
}
