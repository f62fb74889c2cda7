package io.kbench.agent.launch;

import io.kbench.agent.produce.PayloadPool;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentTask;
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
 *
 * <p>Not a problem: a producer rate {@code <= 0}, which means unthrottled (OMB's max-rate discovery).
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
            if (task.agentId().isBlank() || !ids.add(task.agentId())) {
                problems.add(where + ": agentId must be non-blank and unique");
            }
            List<String> taskProblems = checkTask(task);
            taskProblems.forEach(problem -> problems.add(where + ": " + problem));
            if (task.role() == AgentRole.PRODUCER && taskProblems.isEmpty()) {
                try {
                    payloads.put(task.agentId(), PayloadPool.create(task.payload(), task.messageSize(), seed(task, i)));
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

    private static List<String> checkTask(AgentTask task) {
        List<String> problems = new ArrayList<>();
        if (task.bootstrapServers() == null || task.bootstrapServers().isBlank()) {
            problems.add("bootstrapServers must be set");
        }
        if (task.topics().isEmpty()) {
            problems.add("topics must not be empty");
        }
        for (String topic : task.topics()) {
            if (topic == null || topic.isBlank()) {
                problems.add("topics must not contain a blank name");
            }
        }
        if (task.role() == AgentRole.PRODUCER) {
            if (task.topics().size() > 1) {
                problems.add("a producer sends to one topic, got topics " + task.topics());
            }
            if (task.messageSize() <= 0) {
                problems.add("messageSize must be > 0, got " + task.messageSize());
            }
            if (Double.isNaN(task.ratePerSecond()) || Double.isInfinite(task.ratePerSecond())) {
                problems.add("ratePerSecond must be a number (<= 0 for unthrottled), got " + task.ratePerSecond());
            }
        } else if (task.subscription() == null || task.subscription().isBlank()) {
            problems.add("subscription (the consumer group) must be set for a consumer");
        }
        return problems;
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
