package io.kbench.agent.launch;

import io.kbench.agent.produce.PayloadPool;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.topic.KbenchTopics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a launch before any client is created, and builds each producer's payloads (a missing or wrong-sized
 * payload file is a bad task, as in OMB). Every problem is reported at once, each naming the task and field.
 * Each task's own fields were checked when it was decoded ({@link ProducerTask}, {@link
 * io.kbench.protocol.message.ConsumerTask}); here are what only the launch as a whole can tell.
 */
public final class LaunchValidator {

    private LaunchValidator() {}

    /**
     * @param nowMs the current epoch ms; the deadline must lie after it
     * @return each producer's payloads by agent id
     * @throws BadTaskException listing every problem
     */
    public static Map<String, PayloadPool> validate(AgentLaunch launch, long nowMs) {
        List<String> problems = new ArrayList<>();
        requireText(problems, "runId", launch.runId());
        requireText(problems, "workerId", launch.workerId());
        requireText(problems, "controlBootstrap", launch.controlBootstrap());
        try {
            new KbenchTopics(launch.topicPrefix());
        } catch (IllegalArgumentException e) {
            problems.add("topicPrefix: " + e.getMessage());
        }
        if (launch.deadlineAt() <= nowMs) {
            problems.add("deadlineAt " + launch.deadlineAt() + " is not in the future (now " + nowMs + ")");
        }
        if (launch.tasks().isEmpty()) {
            problems.add("tasks must not be empty");
        }
        Map<String, PayloadPool> payloads = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < launch.tasks().size(); i++) {
            AgentTask task = launch.tasks().get(i);
            String where = "tasks[" + i + "] (" + task.agentId() + ")";
            if (!ids.add(task.agentId())) {
                problems.add(where + ": agentId must be unique");
            }
            if (task instanceof ProducerTask producer) {
                try {
                    payloads.put(
                            task.agentId(),
                            PayloadPool.create(producer.payload(), producer.messageSize(), seed(task, i)));
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new BadTaskException("invalid task: " + String.join("; ", problems));
        }
        return payloads;
    }

    /** A seed per task, so payloads and keys are reproducible for the same launch. */
    public static long seed(AgentTask task, int index) {
        return task.agentId().hashCode() * 31L + index;
    }

    private static void requireText(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " must be set");
        }
    }
}
