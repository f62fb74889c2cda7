package io.kbench.controller.run;

import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which benchmark topics ({@code kbench-<runId>-<i>}) a controller left behind (killed mid-run) may be
 * deleted: those of runs that ended (a {@code RunSummary} on {@code <p>.results}, or a {@code StopRun} long
 * enough ago) or were abandoned (past the deadline of their start barrier or assignments). A live run's topics,
 * and those of a live sweep's earlier points, are never chosen; neither are topics of runs the control cluster
 * knows nothing about, unless the run id itself dates them beyond any control record's life.
 */
public final class Leftovers {

    /** Past a run's deadline, the controller waits at most 30 s for the summary, then deletes the topics. */
    static final Duration GRACE = Duration.ofMinutes(2);

    private static final Pattern TOPIC = Pattern.compile("^kbench-(.+)-(\\d+)$");
    /** {@link RunCoordinator#newRunId}: {@code <slug>-yyyyMMdd-HHmmss-<hex>}. */
    private static final Pattern RUN_TIME = Pattern.compile("-(\\d{8}-\\d{6})-[0-9a-f]{4,}$");

    /** One benchmark topic and what to do with it. */
    public record Decision(String topic, String runId, boolean delete, String reason) {}

    private Leftovers() {}

    /**
     * @param control the last control record per {@code runId/Type} ({@code <p>.control})
     * @param results the last record per {@code key/Type} ({@code <p>.results})
     * @param lastActivity per run id, the time of its latest control record (epoch ms)
     * @param topics every topic of the cluster under test; only {@code kbench-<runId>-<i>} ones are considered
     */
    public static List<Decision> decide(
            Map<String, Message> control,
            Map<String, Long> lastActivity,
            Map<String, Message> results,
            List<String> topics,
            long now) {
        Map<String, List<String>> byRun = new LinkedHashMap<>();
        for (String topic : topics.stream().sorted().toList()) {
            Matcher m = TOPIC.matcher(topic);
            if (m.matches()) {
                byRun.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(topic);
            }
        }
        Map<String, String> liveWhy = new LinkedHashMap<>();
        Set<String> liveSweeps = new HashSet<>();
        control.forEach((key, message) -> {
            String runId = key.substring(0, key.lastIndexOf('/'));
            live(runId, control, lastActivity, results, now).ifPresent(why -> {
                liveWhy.put(runId, why);
                if (control.get(runId + "/RunSpec") instanceof RunSpec spec && spec.sweepId() != null) {
                    liveSweeps.add(spec.sweepId());
                }
            });
        });
        List<Decision> out = new ArrayList<>();
        byRun.forEach((runId, runTopics) -> {
            Decision decision = decide(runId, control, results, liveWhy, liveSweeps, now);
            runTopics.forEach(t -> out.add(new Decision(t, runId, decision.delete(), decision.reason())));
        });
        return out;
    }

    private static Decision decide(
            String runId,
            Map<String, Message> control,
            Map<String, Message> results,
            Map<String, String> liveWhy,
            Set<String> liveSweeps,
            long now) {
        if (liveWhy.containsKey(runId)) {
            return new Decision(null, runId, false, "live: " + liveWhy.get(runId));
        }
        String sweepId = sweepOf(runId, control, results);
        if (sweepId != null && liveSweeps.contains(sweepId)) {
            return new Decision(null, runId, false, "its sweep " + sweepId + " is still running");
        }
        if (results.get(runId + "/RunSummary") instanceof RunSummary summary) {
            return new Decision(null, runId, true, "ended " + summary.status() + " (run summary recorded)");
        }
        boolean known = control.keySet().stream().anyMatch(k -> k.startsWith(runId + "/"));
        if (known) {
            return new Decision(null, runId, true, "abandoned: no run summary, and past its deadline");
        }
        Optional<Long> started = startedAt(runId);
        if (started.isPresent() && now - started.get() > 2 * ControlPlane.CONTROL_TTL.toMillis()) {
            return new Decision(
                    null,
                    runId,
                    true,
                    "abandoned: no record left on the control cluster, and its id dates it to more than "
                            + 2 * ControlPlane.CONTROL_TTL.toHours() + " h ago");
        }
        return new Decision(
                null,
                runId,
                false,
                "unknown: no record of this run on the control cluster (another control cluster or topic prefix?)");
    }

    /** Why a run may still be running, or empty when it cannot be. */
    private static Optional<String> live(
            String runId,
            Map<String, Message> control,
            Map<String, Long> lastActivity,
            Map<String, Message> results,
            long now) {
        if (results.containsKey(runId + "/RunSummary")) {
            return Optional.empty();
        }
        long grace = GRACE.toMillis();
        if (control.get(runId + "/StopRun") instanceof StopRun) {
            // The controller collects for at most 15 s after a StopRun, then deletes the topics itself.
            long since = lastActivity.getOrDefault(runId, 0L);
            return now - since < grace ? Optional.of("stopping") : Optional.empty();
        }
        if (control.get(runId + "/StartRun") instanceof StartRun start) {
            return now <= start.deadlineAt() + grace ? Optional.of("started, deadline not passed") : Optional.empty();
        }
        if (control.get(runId + "/RunAssignment") instanceof RunAssignment assignment) {
            return now <= assignment.deadlineAt() + grace
                    ? Optional.of("agents assigned, not started yet")
                    : Optional.empty();
        }
        if (control.get(runId + "/RunSpec") instanceof RunSpec spec) {
            // A plan without assignments yet: the controller is about to publish them.
            return now - spec.createdAt() < grace ? Optional.of("just planned") : Optional.empty();
        }
        return Optional.empty();
    }

    private static String sweepOf(String runId, Map<String, Message> control, Map<String, Message> results) {
        if (control.get(runId + "/RunSpec") instanceof RunSpec spec) {
            return spec.sweepId();
        }
        if (results.get(runId + "/RunSummary") instanceof RunSummary summary) {
            return summary.sweepId();
        }
        return null;
    }

    /** The time a run id names (the controller's local time), if it has one. */
    static Optional<Long> startedAt(String runId) {
        Matcher m = RUN_TIME.matcher(runId);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    .atZone(ZoneId.systemDefault())
                    .toInstant()
                    .toEpochMilli());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
