package io.kbench.worker.supervise;

import io.kbench.protocol.AgentIo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a daemon adds to every agent JVM of its own accord, never from an assignment: its class-data archive and
 * the agent's settings that are the daemon's to choose (passed as system properties, which an assignment's JVM
 * options may not set).
 *
 * @param classData the agents' class-data sharing archive, or {@link AgentClassData#none()}
 * @param metadataTimeout how long an agent waits for its topics' metadata, counted from when it first asks
 *     ({@link AgentIo#METADATA_TIMEOUT_PROPERTY})
 */
public record AgentStartup(AgentClassData classData, Duration metadataTimeout) {

    /** No archive, the agent's default metadata wait. */
    public static final AgentStartup DEFAULT =
            new AgentStartup(AgentClassData.none(), Duration.ofMillis(AgentIo.DEFAULT_METADATA_TIMEOUT_MS));

    public AgentStartup {
        if (classData == null) {
            throw new IllegalArgumentException("classData must be set, got null");
        }
        if (metadataTimeout == null || metadataTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("metadataTimeout must be >= 1 ms, got " + metadataTimeout);
        }
    }

    /** The options of one agent JVM: its class-data launch options and the agent's settings. */
    List<String> daemonOptions(AgentClassData.Launch launch) {
        List<String> options = new ArrayList<>(launch.options());
        options.add("-D" + AgentIo.METADATA_TIMEOUT_PROPERTY + "=" + metadataTimeout.toMillis());
        return List.copyOf(options);
    }
}
