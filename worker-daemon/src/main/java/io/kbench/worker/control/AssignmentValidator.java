package io.kbench.worker.control;

import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.AssignmentRejected.Reason;
import io.kbench.protocol.message.RunAssignment;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether this daemon may run an assignment. Checks what the assignment is (well formed, its deadline
 * ahead), where it points (every server of every task inside the allowed targets), how it asks to run (JVM
 * options inside the allow list) and whether it fits (running agents plus its tasks within capacity), in that
 * order, and answers with the first failed check.
 */
public final class AssignmentValidator {

    /** Run and agent ids name directories and files under the log dir: nothing that could climb out of it. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final List<GlobPattern> allowedTargets;
    private final List<GlobPattern> allowedJvmOptions;
    private final int maxAgents;
    private final Clock clock;

    public AssignmentValidator(
            List<GlobPattern> allowedTargets, List<GlobPattern> allowedJvmOptions, int maxAgents, Clock clock) {
        this.allowedTargets = List.copyOf(allowedTargets);
        this.allowedJvmOptions = List.copyOf(allowedJvmOptions);
        this.maxAgents = maxAgents;
        this.clock = clock;
    }

    /** Why an assignment is refused. */
    public record Rejection(Reason reason, String detail) {}

    /** Empty when the assignment may run now, given {@code runningAgents} agents already running. */
    public Optional<Rejection> validate(String runId, RunAssignment assignment, int runningAgents) {
        Optional<Rejection> invalid = checkShape(runId, assignment);
        if (invalid.isPresent()) {
            return invalid;
        }
        for (AgentTask task : assignment.tasks()) {
            for (String server : task.bootstrapServers().split(",")) {
                String trimmed = server.strip();
                if (allowedTargets.stream().noneMatch(p -> p.matches(trimmed))) {
                    return reject(
                            Reason.TARGET_NOT_ALLOWED,
                            "agent " + task.agentId() + " targets '" + trimmed + "', outside the allowed targets "
                                    + allowedTargets + " (--allow-target)");
                }
            }
        }
        for (String option : assignment.jvmOptions()) {
            if (option == null || allowedJvmOptions.stream().noneMatch(p -> p.matches(option))) {
                return reject(
                        Reason.JVM_OPTIONS_NOT_ALLOWED,
                        "JVM option '" + option + "' is outside the allow list " + allowedJvmOptions
                                + " (--jvm-options)");
            }
        }
        int wanted = assignment.tasks().size();
        if (runningAgents + wanted > maxAgents) {
            return reject(
                    Reason.OVER_CAPACITY,
                    wanted + " agents asked, " + runningAgents + " running, capacity " + maxAgents + " (--max-agents)");
        }
        return Optional.empty();
    }

    private Optional<Rejection> checkShape(String runId, RunAssignment assignment) {
        if (runId == null || !SAFE_ID.matcher(runId).matches()) {
            return reject(Reason.INVALID, "runId '" + runId + "' must match " + SAFE_ID.pattern());
        }
        if (assignment.assignmentId() == null || assignment.assignmentId().isBlank()) {
            return reject(Reason.INVALID, "assignmentId is missing");
        }
        if (assignment.tasks().isEmpty()) {
            return reject(Reason.INVALID, "assignment " + assignment.assignmentId() + " has no tasks");
        }
        if (assignment.deadlineAt() <= clock.millis()) {
            return reject(
                    Reason.INVALID,
                    "deadlineAt " + assignment.deadlineAt() + " has passed (now " + clock.millis() + ")");
        }
        Set<String> ids = new HashSet<>();
        for (AgentTask task : assignment.tasks()) {
            if (!SAFE_ID.matcher(task.agentId()).matches()) {
                return reject(Reason.INVALID, "agentId '" + task.agentId() + "' must match " + SAFE_ID.pattern());
            }
            if (!ids.add(task.agentId())) {
                return reject(Reason.INVALID, "agentId '" + task.agentId() + "' appears twice");
            }
            if (task.bootstrapServers() == null || task.bootstrapServers().isBlank()) {
                return reject(Reason.INVALID, "agent " + task.agentId() + " has no bootstrapServers");
            }
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(Reason reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }
}
