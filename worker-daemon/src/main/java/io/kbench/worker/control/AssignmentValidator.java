package io.kbench.worker.control;

import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.AssignmentRejected.Reason;
import io.kbench.protocol.message.PayloadSpec;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.message.RunAssignment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether this daemon may run an assignment, and what exactly its agents get. Checks what the assignment
 * is (well formed, its deadline ahead), where it points (every server of every task inside the allowed targets),
 * what its clients may do (client settings inside the allow list, payload files inside the payload directory),
 * how it asks to run (JVM options inside the allow list) and whether it fits (running agents plus its tasks
 * within capacity), in that order, and answers with the first failed check.
 *
 * <p>An accepted assignment comes back rewritten: each task's client settings with the worker's own merged over
 * them, each payload file as its real path inside the payload directory. Only that is handed to agents, so an
 * agent never sees a setting or a path the daemon did not check.
 */
public final class AssignmentValidator {

    /** Run and agent ids name directories and files under the log dir: nothing that could climb out of it. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final List<GlobPattern> allowedTargets;
    private final List<GlobPattern> allowedJvmOptions;
    private final ClientConfigPolicy clientConfig;
    private final PayloadDirectory payloadDir;
    private final int maxAgents;
    private final Clock clock;

    /** With the default client settings allow list and no payload directory (payload files refused). */
    public AssignmentValidator(
            List<GlobPattern> allowedTargets, List<GlobPattern> allowedJvmOptions, int maxAgents, Clock clock) {
        this(
                allowedTargets,
                allowedJvmOptions,
                ClientConfigPolicy.defaults(),
                PayloadDirectory.none(),
                maxAgents,
                clock);
    }

    public AssignmentValidator(
            List<GlobPattern> allowedTargets,
            List<GlobPattern> allowedJvmOptions,
            ClientConfigPolicy clientConfig,
            PayloadDirectory payloadDir,
            int maxAgents,
            Clock clock) {
        this.allowedTargets = List.copyOf(allowedTargets);
        this.allowedJvmOptions = List.copyOf(allowedJvmOptions);
        this.clientConfig = clientConfig;
        this.payloadDir = payloadDir;
        this.maxAgents = maxAgents;
        this.clock = clock;
    }

    /** What the validator decided. */
    public sealed interface Outcome permits Accepted, Rejection {}

    /** The assignment may run, as rewritten here: this, not the record's own, is what agents get. */
    public record Accepted(RunAssignment assignment) implements Outcome {}

    /** Why an assignment is refused. */
    public record Rejection(Reason reason, String detail) implements Outcome {}

    /** Empty when the assignment may run now; see {@link #check} for what may run. */
    public Optional<Rejection> validate(String runId, RunAssignment assignment, int runningAgents) {
        return check(runId, assignment, runningAgents) instanceof Rejection rejection
                ? Optional.of(rejection)
                : Optional.empty();
    }

    /**
     * Accepted, with the assignment its agents may run, when it may run now given {@code runningAgents} agents
     * already running; else the first failed check.
     */
    public Outcome check(String runId, RunAssignment assignment, int runningAgents) {
        Optional<Rejection> invalid = checkShape(runId, assignment);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        for (AgentTask task : assignment.tasks()) {
            List<String> servers =
                    new ArrayList<>(List.of(task.bootstrapServers().split(",")));
            // The agent sets bootstrap.servers from the task; a copy in the settings is checked all the same.
            String inSettings = task.clientConfig().get("bootstrap.servers");
            if (inSettings != null) {
                servers.addAll(List.of(inSettings.split(",")));
            }
            for (String server : servers) {
                String trimmed = server.strip();
                if (allowedTargets.stream().noneMatch(p -> p.matches(trimmed))) {
                    return reject(
                            Reason.TARGET_NOT_ALLOWED,
                            "agent " + task.agentId() + " targets " + Details.quote(trimmed)
                                    + ", outside the allowed targets " + allowedTargets + " (--allow-target)");
                }
            }
        }
        List<AgentTask> tasks = new ArrayList<>();
        for (AgentTask task : assignment.tasks()) {
            for (Map.Entry<String, String> setting : task.clientConfig().entrySet()) {
                if ("bootstrap.servers".equals(setting.getKey())) {
                    continue;
                }
                Optional<String> refusal = clientConfig.refusal(setting.getKey(), setting.getValue());
                if (refusal.isPresent()) {
                    return reject(Reason.INVALID, "agent " + task.agentId() + ": " + refusal.get());
                }
            }
            AgentTask checked = task.withClientConfig(clientConfig.apply(task.clientConfig()));
            if (checked instanceof ProducerTask producer
                    && producer.payload().payloadFile() != null
                    && !producer.payload().payloadFile().isBlank()) {
                PayloadSpec payload = producer.payload();
                PayloadDirectory.Resolution resolution = payloadDir.resolve(payload.payloadFile());
                if (resolution instanceof PayloadDirectory.Refused refused) {
                    return reject(Reason.INVALID, "agent " + task.agentId() + ": " + refused.detail());
                }
                String realPath =
                        ((PayloadDirectory.Inside) resolution).realPath().toString();
                checked = producer.withPayload(payload.withPayloadFile(realPath));
            }
            tasks.add(checked);
        }
        for (String option : assignment.jvmOptions()) {
            if (option == null || allowedJvmOptions.stream().noneMatch(p -> p.matches(option))) {
                return reject(
                        Reason.JVM_OPTIONS_NOT_ALLOWED,
                        "JVM option " + Details.quote(option) + " is outside the allow list " + allowedJvmOptions
                                + " (--jvm-options)");
            }
        }
        int wanted = assignment.tasks().size();
        if (runningAgents + wanted > maxAgents) {
            return reject(
                    Reason.OVER_CAPACITY,
                    wanted + " agents asked, " + runningAgents + " running, capacity " + maxAgents + " (--max-agents)");
        }
        return new Accepted(new RunAssignment(
                assignment.assignmentId(),
                assignment.workerId(),
                tasks,
                assignment.agentsPerJvm(),
                assignment.jvmOptions(),
                assignment.deadlineAt()));
    }

    private Optional<Rejection> checkShape(String runId, RunAssignment assignment) {
        if (runId == null || !SAFE_ID.matcher(runId).matches()) {
            return invalid(Reason.INVALID, "runId '" + runId + "' must match " + SAFE_ID.pattern());
        }
        if (assignment.assignmentId() == null || assignment.assignmentId().isBlank()) {
            return invalid(Reason.INVALID, "assignmentId is missing");
        }
        if (assignment.tasks().isEmpty()) {
            return invalid(Reason.INVALID, "assignment " + assignment.assignmentId() + " has no tasks");
        }
        if (assignment.deadlineAt() <= clock.millis()) {
            return invalid(
                    Reason.INVALID,
                    "deadlineAt " + assignment.deadlineAt() + " has passed (now " + clock.millis() + ")");
        }
        Set<String> ids = new HashSet<>();
        for (AgentTask task : assignment.tasks()) {
            if (!SAFE_ID.matcher(task.agentId()).matches()) {
                return invalid(Reason.INVALID, "agentId '" + task.agentId() + "' must match " + SAFE_ID.pattern());
            }
            if (!ids.add(task.agentId())) {
                return invalid(Reason.INVALID, "agentId '" + task.agentId() + "' appears twice");
            }
        }
        return Optional.empty();
    }

    private static Rejection reject(Reason reason, String detail) {
        return new Rejection(reason, detail);
    }

    private static Optional<Rejection> invalid(Reason reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }
}
