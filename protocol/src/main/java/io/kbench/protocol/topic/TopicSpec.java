package io.kbench.protocol.topic;

import java.util.Map;

/** A topic kbench needs: its name, partitions and the topic configs that matter to it. */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    public TopicSpec {
        configs = Map.copyOf(configs);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of topic " + name + " must be >= 1, got " + partitions);
        }
    }
}
