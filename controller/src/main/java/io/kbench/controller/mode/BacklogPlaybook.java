package io.kbench.controller.mode;

import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.PauseConsumers;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.ResumeConsumers;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.message.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OMB's backlog mode ({@code consumerBacklogSizeGB > 0}): after the warm-up, consumers are paused (really paused:
 * {@code KafkaConsumer.pause}, still in their group) while producers build a backlog of that size; then they
 * resume and drain it until at most {@code (1 − backlogDrainRatio)} of it is left; then the run measures for its
 * duration, as OMB does. Drain time and the consume rate while draining go into the result, with their resolution:
 * the playbook sees the backlog only in window summaries, so the drain ended within the last window it spans (OMB
 * polls its workers' counters every 100 ms), which the result says as {@code drainResolutionSeconds}.
 */
public final class BacklogPlaybook implements RunPlaybook {

    enum State {
        WARMUP,
        BUILDING,
        DRAINING,
        MEASURING,
        DONE
    }

    /** A pause travels topic → daemon → agent stdin: windows that start this long after it are fully paused. */
    static final long PAUSE_PROPAGATION_MS = 1000;

    private final long targetMessages;
    private final long emptyLevel;
    private final long targetBytes;
    private final long warmupMs;
    private final long measureMs;
    /** The stats windows' length: the resolution of the drain's end. */
    private final int windowSeconds;

    private final News news = new News();
    private final List<WindowSummary> drainWindows = new ArrayList<>();

    private State state = State.WARMUP;
    private long startAt;
    private long buildStart;
    private long drainStart;
    private long drainEnd;
    private long measureEnd;
    private long reached;
    private long receivedWhilePaused;

    BacklogPlaybook(Workload workload, long warmupMs, long measureMs) {
        this.targetBytes = (long) (workload.consumerBacklogSizeGB() * 1024 * 1024 * 1024);
        this.targetMessages = Math.max(1, targetBytes / workload.messageSize());
        // OMB: drain until the backlog is at most (1 - backlogDrainRatio) of its size.
        this.emptyLevel = (long) ((1.0 - Math.min(workload.backlogDrainRatio(), 1.0)) * targetMessages);
        this.warmupMs = warmupMs;
        this.measureMs = measureMs;
        this.windowSeconds = workload.statsWindowSeconds();
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
    public void started(long startAt) {
        this.startAt = startAt;
    }

    @Override
    public List<Message> onTick(long now) {
        if (state == State.WARMUP && startAt > 0 && now >= startAt + warmupMs) {
            state = State.BUILDING;
            buildStart = now;
            news.say(
                    "warm-up done: consumers paused, building a backlog of %,d messages (%.2f GB)",
                    targetMessages, targetBytes / 1e9);
            return List.of(new PauseConsumers(Phase.BACKLOG_BUILD));
        }
        if (state == State.MEASURING && now >= measureEnd) {
            state = State.DONE;
            return List.of(new StopRun(StopRun.Reason.COMPLETED, "backlog run measured for its duration"));
        }
        return List.of();
    }

    @Override
    public List<Message> onWindow(WindowSummary w, long now) {
        switch (state) {
            case BUILDING -> {
                if (w.windowStart() >= buildStart + PAUSE_PROPAGATION_MS) {
                    receivedWhilePaused += w.messagesReceived();
                }
                if (w.backlog() >= targetMessages) {
                    state = State.DRAINING;
                    reached = w.backlog();
                    drainStart = now;
                    news.say(
                            "backlog of %,d messages reached in %.1f s: consumers resumed, draining",
                            reached, (now - buildStart) / 1000.0);
                    return List.of(new ResumeConsumers(Phase.BACKLOG_DRAIN));
                }
            }
            case DRAINING -> {
                // A window that was open when consumers resumed holds part of the drain: a fast drain can finish
                // inside it, and leaving it out left no window and no drain rate at all.
                if (w.windowEnd() > drainStart) {
                    drainWindows.add(w);
                }
                if (w.backlog() <= emptyLevel) {
                    state = State.MEASURING;
                    drainEnd = now;
                    measureEnd = now + measureMs;
                    news.say(
                            "backlog drained in %.1f s, as the %d s stats windows show it (it ended within the last"
                                    + " of them); measuring for %d s",
                            (drainEnd - drainStart) / 1000.0, windowSeconds, measureMs / 1000);
                    return List.of(new ResumeConsumers(Phase.MEASURE));
                }
            }
            default -> {
                // warm-up, measuring, done: nothing to decide per window
            }
        }
        return List.of();
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
        Map<String, Object> backlog = new LinkedHashMap<>();
        backlog.put("targetBytes", targetBytes);
        backlog.put("targetMessages", targetMessages);
        backlog.put("drainedToMessages", emptyLevel);
        backlog.put("reachedMessages", reached);
        backlog.put("receivedWhilePaused", receivedWhilePaused);
        backlog.put("buildSeconds", drainStart > 0 ? (drainStart - buildStart) / 1000.0 : null);
        backlog.put("drainSeconds", drainEnd > 0 ? (drainEnd - drainStart) / 1000.0 : null);
        // Seen through the windows: the drain ended up to one window (and the window's way here) before drainSeconds,
        // and the rate below includes the last window's part after it.
        backlog.put("drainResolutionSeconds", windowSeconds);
        // Consumers were paused until drainStart, so what a window received came after it: the rate is over the part
        // of each window from the resume on.
        double drained = drainWindows.stream()
                .mapToDouble(WindowSummary::messagesReceived)
                .sum();
        double span = drainWindows.stream()
                .mapToDouble(w -> (w.windowEnd() - Math.max(w.windowStart(), drainStart)) / 1000.0)
                .sum();
        backlog.put("drainConsumeRate", span > 0 ? drained / span : null);
        backlog.put("completed", state == State.MEASURING || state == State.DONE);
        return Map.of("backlog", backlog);
    }
}
