package io.kbench.controller.mode;

import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.PauseConsumers;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.ResumeConsumers;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.message.Workload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OMB's backlog mode ({@code consumerBacklogSizeGB > 0}): after the warm-up, consumers are paused (really paused:
 * {@code KafkaConsumer.pause}, still in their group) while producers build a backlog of that size; then they
 * resume and drain it until at most {@code (1 − backlogDrainRatio)} of it is left; then the run measures for its
 * duration, as OMB does. Drain time and the consume rate while draining go into the result.
 *
 * <p>The playbook follows the backlog in the agents' own reports ({@link ReportedBacklog}), to the end of the report
 * interval every agent has reported to, a second: the drain ended within the last interval it spans, which the
 * result says as {@code drainResolutionSeconds}. A drain is over at OMB's level or at what was in flight before the
 * build, whichever is more ({@link #drainedLevel}). (Until 2026-12-03 it followed the aggregator's windows: a drain the
 * 1 s windows showed over in 5 s was reported as 8 s, and with the default 10 s windows its rate was spread over
 * whole windows. OMB polls its workers' counters every 100 ms.)
 */
public final class BacklogPlaybook implements RunPlaybook {

    enum State {
        WARMUP,
        BUILDING,
        DRAINING,
        MEASURING,
        DONE
    }

    /** A pause travels topic → daemon → agent stdin: intervals that start this long after it are fully paused. */
    static final long PAUSE_PROPAGATION_MS = 1000;

    /**
     * How much of the warm-up's end shows what is in flight while consumers keep pace (at most its second half): the
     * backlog the reports show then is acknowledged-not-yet-read traffic, rate × latency plus the agents' report cuts
     * being milliseconds apart, and never reads 0 for long at tens of thousands of messages a second.
     */
    static final long IN_FLIGHT_SPAN_MS = 10_000;

    private final long targetMessages;
    private final long emptyLevel;
    private final int subscriptions;
    private final long targetBytes;
    private final long warmupMs;
    private final long measureMs;

    private final News news = new News();

    private ReportedBacklog backlog;
    private State state = State.WARMUP;
    private long startAt;
    private long buildStart;
    private long drainStart;
    private long measureEnd;
    private long receivedWhilePaused;
    /** The largest backlog the reports showed over the warm-up's end, while consumers kept pace. */
    private long inFlight;
    /** The run's counts when the backlog was reached and consumers resumed. */
    private ReportedBacklog.Snapshot atResume;
    /** The latest counts seen while draining with the backlog still above its empty level. */
    private ReportedBacklog.Snapshot lastAbove;
    /** The first counts at or under the empty level: the drain's end, to the report interval before it. */
    private ReportedBacklog.Snapshot drained;

    BacklogPlaybook(Workload workload, long warmupMs, long measureMs) {
        this.targetBytes = (long) (workload.consumerBacklogSizeGB() * 1024 * 1024 * 1024);
        this.targetMessages = Math.max(1, targetBytes / workload.messageSize());
        // OMB: drain until the backlog is at most (1 - backlogDrainRatio) of its size.
        this.emptyLevel = (long) ((1.0 - Math.min(workload.backlogDrainRatio(), 1.0)) * targetMessages);
        this.subscriptions = workload.subscriptionsPerTopic();
        this.warmupMs = warmupMs;
        this.measureMs = measureMs;
    }

    @Override
    public long agentMeasureMs() {
        return 0; // open-ended: this playbook ends the run with StopRun
    }

    @Override
    public long extraBudgetMs() {
        return OPEN_ENDED_BUDGET_MS;
    }

    @Override
    public boolean followsReports() {
        return true;
    }

    @Override
    public void started(long startAt, List<String> agentIds) {
        this.startAt = startAt;
        this.backlog = new ReportedBacklog(agentIds, subscriptions);
    }

    @Override
    public void onReport(StatsReport report) {
        // Once drained nothing reads the counts again, and only snapshots prune the points the reports leave: an hour's
        // measurement of 10,000 agents would otherwise keep 36 million of them.
        if (backlog == null || state == State.MEASURING || state == State.DONE || !backlog.add(report)) {
            return;
        }
        if (buildStart > 0
                && report.intervalStartMs() >= buildStart + PAUSE_PROPAGATION_MS
                && (drainStart == 0 || report.intervalEndMs() <= drainStart)) {
            receivedWhilePaused += report.messagesReceived();
        }
    }

    @Override
    public List<Message> onTick(long now) {
        switch (state) {
            case WARMUP -> {
                if (startAt == 0) {
                    return List.of();
                }
                long warmupEnd = startAt + warmupMs;
                ReportedBacklog.Snapshot counts = backlog.snapshot();
                if (counts != null
                        && counts.atMs() <= warmupEnd
                        && counts.atMs() >= Math.max(startAt + warmupMs / 2, warmupEnd - IN_FLIGHT_SPAN_MS)) {
                    inFlight = Math.max(inFlight, counts.backlog());
                }
                if (now >= warmupEnd) {
                    state = State.BUILDING;
                    buildStart = now;
                    news.say(
                            "warm-up done: consumers paused, building a backlog of %,d messages (%.2f GB); in flight"
                                    + " while consumers kept pace: up to %,d",
                            targetMessages, targetBytes / 1e9, inFlight);
                    return List.of(new PauseConsumers(Phase.BACKLOG_BUILD));
                }
            }
            case BUILDING -> {
                ReportedBacklog.Snapshot counts = backlog.snapshot();
                if (counts != null && counts.backlog() >= targetMessages) {
                    state = State.DRAINING;
                    atResume = counts;
                    drainStart = now;
                    news.say(
                            "backlog of %,d messages reached in %.1f s: consumers resumed, draining",
                            counts.backlog(), (now - buildStart) / 1000.0);
                    return List.of(new ResumeConsumers(Phase.BACKLOG_DRAIN));
                }
            }
            case DRAINING -> {
                ReportedBacklog.Snapshot counts = backlog.snapshot();
                if (counts == null || counts.atMs() < drainStart) {
                    return List.of(); // nobody has reported past the resume yet
                }
                if (counts.backlog() > drainedLevel()) {
                    lastAbove = counts;
                    return List.of();
                }
                state = State.MEASURING;
                drained = counts;
                measureEnd = now + measureMs;
                news.say(
                        "backlog drained in %.1f s as the agents' reports show it (it ended within its last %.1f s);"
                                + " measuring for %d s",
                        drainSeconds(), drainResolutionSeconds(), measureMs / 1000);
                return List.of(new ResumeConsumers(Phase.MEASURE));
            }
            case MEASURING -> {
                if (now >= measureEnd) {
                    state = State.DONE;
                    return List.of(new StopRun(StopRun.Reason.COMPLETED, "backlog run measured for its duration"));
                }
            }
            case DONE -> {
                // the run is stopping
            }
        }
        return List.of();
    }

    /**
     * The backlog at which the drain is over: OMB's {@code (1 − backlogDrainRatio)} of the target, or what was in
     * flight while consumers kept pace if that is more: with a ratio of 1.0 the drain is over when consumers are back
     * to keeping pace, which a report shows as the in-flight level, not as 0 (OMB, checking every 100 ms, catches
     * its counts crossing 0 in passing; once a second, a drain of 8 s was reported as 17).
     */
    private long drainedLevel() {
        return Math.max(emptyLevel, inFlight);
    }

    /** From the resume to the end of the first report interval that every agent reported with the backlog drained. */
    private double drainSeconds() {
        return (drained.atMs() - drainStart) / 1000.0;
    }

    /** The drain ended within this much before its reported end: the interval since the last count above the level. */
    private double drainResolutionSeconds() {
        long before = lastAbove == null ? drainStart : Math.max(lastAbove.atMs(), drainStart);
        return (drained.atMs() - before) / 1000.0;
    }

    State state() {
        return state;
    }

    @Override
    public List<String> news() {
        return news.drain();
    }

    @Override
    public Map<String, Object> extras() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("targetBytes", targetBytes);
        out.put("targetMessages", targetMessages);
        out.put("drainedToMessages", drainedLevel());
        out.put("inFlightMessages", inFlight);
        out.put("reachedMessages", atResume != null ? atResume.backlog() : 0L);
        out.put("receivedWhilePaused", receivedWhilePaused);
        out.put("buildSeconds", drainStart > 0 ? (drainStart - buildStart) / 1000.0 : null);
        out.put("drainSeconds", drained != null ? drainSeconds() : null);
        // Seen through the agents' reports: the drain ended within this long before drainSeconds.
        out.put("drainResolutionSeconds", drained != null ? drainResolutionSeconds() : null);
        // Consumers were paused until the resume, so what they read from the counts at the resume on is the drain.
        out.put(
                "drainConsumeRate",
                drained != null && drained.atMs() > drainStart
                        ? (drained.received() - atResume.received()) / drainSeconds()
                        : null);
        out.put("completed", state == State.MEASURING || state == State.DONE);
        return Map.of("backlog", out);
    }
}
