package io.kbench.controller.run;

import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.registry.RegistryView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's workers as their heartbeats show them while it goes. A worker that was killed outright (its agents
 * with it) leaves no event behind: no daemon to report, no agent to send a last report. So a worker of the plan
 * that stops heartbeating for {@value #LOST_INTERVALS} of its intervals, or whose heartbeat says it
 * is unhealthy, is reported once as an {@link AgentFailed} of all its agents: the lifecycle answers as for any
 * failed agent (before the start the run fails; after it, {@code StopRun(ABORTED)} stops the rest of the fleet
 * and the run ends INCOMPLETE naming that worker). Silence counts only once some heartbeat has come through (the
 * registry is followed), and from when the run's plan went out.
 *
 * <p>Silence is judged only while the registry flows: other members' heartbeats arriving without a gap for as long
 * as the silence bound. When the brokers are unreachable nobody's heartbeat arrives, and a worker that was merely
 * cut off with everyone else is not lost: the run outlives a broker outage.
 */
final class WorkerWatch {

    /**
     * Silent intervals that make a worker of a running run lost. More than the planner's {@link
     * RegistryView#LIVE_INTERVALS}: aborting a run costs more than not planning onto a worker, and a heartbeat on a
     * loaded host can be seconds late.
     */
    static final int LOST_INTERVALS = 5;

    /** The registry's default interval, assumed until a worker's own heartbeat says otherwise. */
    private static final long DEFAULT_INTERVAL_MS = 2000;

    private final Map<String, List<String>> agentsByWorker = new LinkedHashMap<>();
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final Map<String, Long> intervals = new HashMap<>();
    private final Map<String, String> unhealthy = new HashMap<>();
    private boolean following;
    /** When the latest heartbeat of any member arrived, and since when they have arrived without a gap. */
    private long lastAnyBeat;

    private long flowingSince;
    private long longestInterval = DEFAULT_INTERVAL_MS;

    WorkerWatch(List<RunAssignment> assignments, long now) {
        for (RunAssignment assignment : assignments) {
            agentsByWorker
                    .computeIfAbsent(assignment.workerId(), id -> new ArrayList<>())
                    .addAll(assignment.tasks().stream().map(AgentTask::agentId).toList());
            lastSeen.put(assignment.workerId(), now);
        }
    }

    /** A heartbeat from the registry (any member; only the run's workers count). */
    void seen(MemberHeartbeat beat, long now) {
        longestInterval = Math.max(longestInterval, beat.heartbeatIntervalMs());
        if (!following || now - lastAnyBeat > 2 * longestInterval) {
            flowingSince = now;
        }
        following = true;
        lastAnyBeat = now;
        String id = beat.memberId();
        if (beat.role() != MemberRole.WORKER || !lastSeen.containsKey(id)) {
            return;
        }
        lastSeen.put(id, now);
        intervals.put(id, Math.max(beat.heartbeatIntervalMs(), 1000));
        if (!beat.health().isHealthy()) {
            unhealthy.putIfAbsent(id, beat.health().describe());
        }
    }

    /** The run's workers lost at {@code now}, each reported once, as failures of all their agents. */
    List<AgentFailed> lost(long now) {
        List<AgentFailed> lost = new ArrayList<>();
        if (!following) {
            return lost; // no heartbeat of anyone yet: the registry is not followed (or not yet), so silence says
            // nothing
        }
        boolean flowing = now - lastAnyBeat <= 2 * longestInterval;
        for (Map.Entry<String, Long> entry : List.copyOf(lastSeen.entrySet())) {
            String id = entry.getKey();
            long silent = now - entry.getValue();
            long interval = intervals.getOrDefault(id, DEFAULT_INTERVAL_MS);
            String why = null;
            long bound = LOST_INTERVALS * interval;
            if (silent > bound && flowing && now - flowingSince > bound) {
                why = String.format(
                        Locale.ROOT,
                        "worker %s stopped heartbeating (none for %.1f s): host or daemon gone",
                        id,
                        silent / 1000.0);
            } else if (unhealthy.containsKey(id)) {
                why = "worker " + id + " is " + unhealthy.get(id);
            }
            if (why != null) {
                lastSeen.remove(id);
                lost.add(new AgentFailed(id, agentsByWorker.get(id), -1, why, List.of()));
            }
        }
        return lost;
    }
}
