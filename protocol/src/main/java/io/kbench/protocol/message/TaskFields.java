package io.kbench.protocol.message;

import java.util.List;

/** The checks {@link ProducerTask} and {@link ConsumerTask} share; each failure names task, field and value. */
final class TaskFields {

    private TaskFields() {}

    static String text(String task, String agentId, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    where(task, agentId) + field + " must be set, got " + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }

    static void check(boolean ok, String task, String agentId, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(where(task, agentId) + field + " " + rule + ", got " + value);
        }
    }

    static List<String> topics(String task, String agentId, List<String> topics) {
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException(where(task, agentId) + "topics must not be empty, got " + topics);
        }
        for (String topic : topics) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException(
                        where(task, agentId) + "topics must not contain a blank name, got " + topics);
            }
        }
        return List.copyOf(topics);
    }

    private static String where(String task, String agentId) {
        return agentId == null || agentId.isBlank() ? task + ": " : task + " " + agentId + ": ";
    }
}
