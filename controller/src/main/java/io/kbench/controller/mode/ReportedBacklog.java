package io.kbench.controller.mode;

import io.kbench.protocol.message.StatsReport;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A run's backlog — messages acknowledged to its producers and not yet read by its consumers — as the agents' own
 * reports say it, up to the instant every agent has reported to. Reports come every report interval (a second), so
 * this follows the backlog to a second where the aggregator's windows follow it to a window (ten seconds by
 * default) and the window's way to the controller.
 *
 * <p>It counts as the aggregator does: a producer's acknowledged sends whatever phase they were intended in ({@code
 * messagesSent + sentOutsidePhase}), once per subscription, and a consumer's reads; a report whose {@code seq} is not
 * above its agent's highest is a duplicate and passed over, as is a report of an agent the run does not have. An
 * agent that sent its last report has counted everything and no longer holds the instant back.
 *
 * <p>{@link #add} is O(1); {@link #snapshot} walks the agents, so a caller asks for it a few times a second, not per
 * report.
 */
final class ReportedBacklog {

    /**
     * The backlog's parts up to {@code atMs} (epoch ms on the agents' clocks: the end of a report interval): {@code
     * owed} deliveries (acknowledged sends times the subscriptions each goes to, as OMB and the aggregator count
     * them) and {@code received} reads.
     */
    record Snapshot(long atMs, long owed, long received) {
        long backlog() {
            return owed - received;
        }
    }

    /** One agent's cumulative acknowledged sends and reads at the end of one of its report intervals. */
    private record Point(long atMs, long sent, long received) {}

    /** One agent's cumulative counts at the end of each report interval not yet passed. */
    private static final class Agent {
        private final ArrayDeque<Point> points = new ArrayDeque<>();
        private long highestSeq = -1;
        private long sent;
        private long received;
        private boolean ended;

        long reportedTo() {
            return points.isEmpty() ? Long.MIN_VALUE : points.peekLast().atMs();
        }
    }

    private final Map<String, Agent> agents = new HashMap<>();
    private final int subscriptions;
    private long passedOver;

    /** @param subscriptions how many subscriptions read each message (the workload's per topic) */
    ReportedBacklog(Collection<String> agentIds, int subscriptions) {
        if (agentIds.isEmpty()) {
            throw new IllegalArgumentException("a run's backlog needs its agents");
        }
        this.subscriptions = Math.max(1, subscriptions);
        agentIds.forEach(id -> agents.put(id, new Agent()));
    }

    /** Counts one report in; returns false for a duplicate or a report of an agent the run does not have. */
    boolean add(StatsReport report) {
        Agent agent = agents.get(report.agentId());
        if (agent == null || report.seq() <= agent.highestSeq) {
            passedOver++;
            return false;
        }
        agent.highestSeq = report.seq();
        agent.sent += report.messagesSent() + report.sentOutsidePhase();
        agent.received += report.messagesReceived();
        agent.ended |= report.last();
        // Reports of one agent come in order, each interval starting where the previous ended.
        long at = Math.max(report.intervalEndMs(), agent.reportedTo());
        agent.points.addLast(new Point(at, agent.sent, agent.received));
        return true;
    }

    /** Reports passed over: duplicates and reports of agents the run does not have. */
    long passedOver() {
        return passedOver;
    }

    /**
     * The run's counts up to the latest instant every agent has reported to (each agent's counts at its last interval
     * ending then or before), or {@code null} while an agent has not reported yet. When every agent has ended, the
     * instant is the last report's end.
     */
    Snapshot snapshot() {
        long through = Long.MAX_VALUE;
        long lastEnd = Long.MIN_VALUE;
        for (Agent agent : agents.values()) {
            long to = agent.reportedTo();
            if (to == Long.MIN_VALUE) {
                return null;
            }
            lastEnd = Math.max(lastEnd, to);
            if (!agent.ended) {
                through = Math.min(through, to);
            }
        }
        if (through == Long.MAX_VALUE) {
            through = lastEnd;
        }
        long sent = 0;
        long received = 0;
        for (Agent agent : agents.values()) {
            // Points before the last one at or before the instant are never needed again: the instant only grows.
            while (agent.points.size() > 1 && secondAtOrBefore(agent.points, through)) {
                agent.points.removeFirst();
            }
            Point point = agent.points.peekFirst();
            if (point.atMs() <= through) {
                sent += point.sent();
                received += point.received();
            }
        }
        return new Snapshot(through, sent * subscriptions, received);
    }

    private static boolean secondAtOrBefore(ArrayDeque<Point> points, long through) {
        var it = points.iterator();
        it.next();
        return it.next().atMs() <= through;
    }
}
