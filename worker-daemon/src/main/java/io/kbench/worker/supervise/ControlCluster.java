package io.kbench.worker.supervise;

import io.kbench.worker.clock.HostClock;
import java.util.Map;

/**
 * Where an agent reports (the daemon's own control cluster) — handed to each agent in its {@code AgentLaunch}
 * over stdin, never over a topic, because the client settings may carry credentials — and how this host's clock
 * stands against it ({@link HostClock}).
 */
public record ControlCluster(
        String bootstrapServers, Map<String, String> clientConfig, String topicPrefix, HostClock hostClock) {
    public ControlCluster {
        clientConfig = clientConfig == null ? Map.of() : Map.copyOf(clientConfig);
        hostClock = hostClock == null ? HostClock.UNKNOWN : hostClock;
    }

    /** A control cluster whose clock offset is unknown. */
    public ControlCluster(String bootstrapServers, Map<String, String> clientConfig, String topicPrefix) {
        this(bootstrapServers, clientConfig, topicPrefix, HostClock.UNKNOWN);
    }

    /**
     * The control topic's consumer group of worker {@code workerId}; every group a daemon uses starts with it (its
     * warm JVMs' rehearsal groups too), so a daemon's ACLs (a prefixed Read on {@code <p>-worker-}) cover them all.
     */
    public static String workerGroup(String topicPrefix, String workerId) {
        return topicPrefix + "-worker-" + workerId;
    }

    @Override
    public String toString() {
        return "ControlCluster[bootstrapServers=" + bootstrapServers + ", clientConfigKeys=" + clientConfig.keySet()
                + ", topicPrefix=" + topicPrefix + "]";
    }
}
