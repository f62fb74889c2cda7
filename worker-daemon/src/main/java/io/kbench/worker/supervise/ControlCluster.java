package io.kbench.worker.supervise;

import java.util.Map;

/**
 * Where an agent reports (the daemon's own control cluster) — handed to each agent in its {@code AgentLaunch}
 * over stdin, never over a topic, because the client settings may carry credentials.
 */
public record ControlCluster(String bootstrapServers, Map<String, String> clientConfig, String topicPrefix) {
    public ControlCluster {
        clientConfig = clientConfig == null ? Map.of() : Map.copyOf(clientConfig);
    }

    @Override
    public String toString() {
        return "ControlCluster[bootstrapServers=" + bootstrapServers + ", clientConfigKeys=" + clientConfig.keySet()
                + ", topicPrefix=" + topicPrefix + "]";
    }
}
