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
 * @param warmAgents the most warm agent JVMs held for the next run ({@link WarmAgents}); 0 holds none
 */
public record AgentStartup(AgentClassData classData, Duration metadataTimeout, int warmAgents) {

    /** No archive, the agent's default metadata wait, no warm JVMs. */
    public static final AgentStartup DEFAULT =
            new AgentStartup(AgentClassData.none(), Duration.ofMillis(AgentIo.DEFAULT_METADATA_TIMEOUT_MS), 0);

    public AgentStartup {
        if (classData == null) {
            throw new IllegalArgumentException("classData must be set, got null");
        }
        if (metadataTimeout == null || metadataTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("metadataTimeout must be >= 1 ms, got " + metadataTimeout);
        }
        if (warmAgents < 0) {
            throw new IllegalArgumentException("warmAgents must be >= 0, got " + warmAgents);
        }
    }

    /** The options of a warm agent JVM ({@link WarmAgents}): an agent's, and the rehearsal before it waits. */
    List<String> warmOptions(AgentClassData.Launch launch) {
        List<String> options = new ArrayList<>(daemonOptions(launch));
        options.add("-D" + AgentIo.WARM_PROPERTY + "=true");
        return List.copyOf(options);
    }

    /** The options of one agent JVM: its class-data launch options and the agent's settings. */
    List<String> daemonOptions(AgentClassData.Launch launch) {
        List<String> options = new ArrayList<>(launch.options());
        options.add("-D" + AgentIo.METADATA_TIMEOUT_PROPERTY + "=" + metadataTimeout.toMillis());
        return List.copyOf(options);
    }
}
