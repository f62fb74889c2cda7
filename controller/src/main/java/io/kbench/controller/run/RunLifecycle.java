package io.kbench.controller.run;

import io.kbench.controller.mode.RunPlaybook;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.AssignmentRejected;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.message.WindowSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's lifecycle as a state machine (docs/architecture.md, A run): it takes events and the current time and
 * answers with the actions to take, and does no I/O itself, so every transition can be tested with a fake clock.
 * {@link RunLoop} feeds it and carries out its actions.
 *
 * <pre>
 * PLANNED --Begin--> AWAITING_READY --all ready (Tick)--> RUNNING --AgentFailed / Interrupt--> STOPPING
 *                      |  failed / rejected / not ready      |  RunSummary                       |  RunSummary
 *                      |  / Interrupt                        |  no summary by deadline + grace   |  stop wait over
 *                      v                                     v                                   v
 *                    DONE (FAILED)                         DONE                                DONE
 * </pre>
 *
 * Not thread-safe: one loop drives it.
 */
public final class RunLifecycle {

    private static final Logger LOGGER = LoggerFactory.getLogger(RunLifecycle.class);

    /** Where the run is. */
    public enum State {
        /** Nothing published yet. */
        PLANNED,
        /** RunSpec and assignments published; waiting for every AgentReady. */
        AWAITING_READY,
        /** StartRun published; following windows until the summary. */
        RUNNING,
        /** This controller sent a StopRun (interrupt, or an agent failed); waiting for the summary. */
        STOPPING,
        /** Finished; every later event is ignored. */
        DONE
    }

    /** What happens to the run. */
    public sealed interface Event {
        /** The plan is to be published. */
        record Begin() implements Event {}

        /** A record of this run from the events, windows or results topic. */
        record Received(Message message) implements Event {}

        /** The user asked to stop (Ctrl-C). Repeating it changes nothing. */
        record Interrupt() implements Event {}

        /** Time passed: timeouts, the playbook's clock-driven records, the start once every agent is ready. */
        record Tick() implements Event {}

        /**
         * An aggregator's heartbeat: {@code busy} while it rebalances, restores its state or starts (it will work
         * again, and windows and the summary wait for it), not when it is healthy or unhealthy.
         */
        record AggregatorHealth(String memberId, boolean busy) implements Event {}
    }

    /** What the shell is to do, in order. */
    public sealed interface Action {
        /** Publish a control record of this run. */
        record Publish(Message message) implements Action {}

        /** Tell the user one line. */
        record Note(String text) implements Action {}

        /** Tell the user where the agents and topics are. */
        record ShowPlanned() implements Action {}

        /** Tell the user how many agents are ready. */
        record ShowReady(int count) implements Action {}

        /** Tell the user the start barrier is set. */
        record ShowStarted(long startAt, long warmupMs, long measureMs) implements Action {}

        /** Show a window's figures. */
        record ShowWindow(WindowSummary window) implements Action {}

        /**
         * The run is over: write it with this status.
         *
         * @param summary the aggregator's summary, or {@code null} when none came (build one from {@code windows})
         * @param problem what went wrong, for the user; {@code null} when complete
         */
        record Finish(RunStatus status, RunSummary summary, List<WindowSummary> windows, String problem)
                implements Action {
            public Finish {
                windows = List.copyOf(windows);
            }
        }
    }

    private final String runId;
    private final RunSpec spec;
    private final List<RunAssignment> assignments;
    private final RunPlaybook playbook;
    private final Duration readyTimeout;
    private final RunTimings timings;

    private State state = State.PLANNED;
    private final Set<String> waiting;
    /** Who could not start and why, in arrival order: the user sees every agent's reason, not the first. */
    private final Map<String, String> failures = new LinkedHashMap<>();

    private final List<WindowSummary> windows = new ArrayList<>();
    private long readyDeadline;
    private long giveUpAt;
    /** Aggregators rebalancing or restoring now, since when: the summary's wait is extended by their time. */
    private final java.util.Map<String, Long> aggregatorsBusySince = new java.util.HashMap<>();
    /** Time aggregators spent rebalancing or restoring before now, added to the summary's wait. */
    private long summaryWaitExtendedMs;

    /** The most the summary's wait is extended for aggregators that rebalance or restore. */
    static final long MAX_SUMMARY_WAIT_EXTENSION_MS = 10 * 60_000L;

    private final boolean stopC2AfterWarmup;
    private StopRun sentStop;
    private long sentStopAt;
    /** The playbook ended the run itself (backlog mode): the summary needs no StopRun(COMPLETED) of ours. */
    private boolean playbookStopped;

    /**
     * @param stopC2AfterWarmup whether the {@code StartRun} asks the agents to stop C2 as the warm-up ends ({@code
     *     C2AfterWarmup})
     */
    public RunLifecycle(
            String runId,
            RunSpec spec,
            List<RunAssignment> assignments,
            RunPlaybook playbook,
            Duration readyTimeout,
            RunTimings timings,
            boolean stopC2AfterWarmup) {
        this.stopC2AfterWarmup = stopC2AfterWarmup;
        this.runId = Objects.requireNonNull(runId, "runId");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.assignments = List.copyOf(assignments);
        this.playbook = Objects.requireNonNull(playbook, "playbook");
        this.readyTimeout = Objects.requireNonNull(readyTimeout, "readyTimeout");
        this.timings = Objects.requireNonNull(timings, "timings");
        this.waiting = new LinkedHashSet<>(spec.agentIds());
    }

    public State state() {
        return state;
    }

    /** The StopRun this controller sent because of an interrupt or a failed agent; {@code null} if none. */
    public StopRun sentStop() {
        return sentStop;
    }

    /** Handles one event at {@code now} (epoch ms) and returns what to do, in order. */
    public List<Action> on(Event event, long now) {
        List<Action> actions = new ArrayList<>();
        if (event instanceof Event.AggregatorHealth health) {
            aggregatorHealth(health, now);
            return List.of();
        }
        switch (state) {
            case PLANNED -> planned(event, now, actions);
            case AWAITING_READY -> awaitingReady(event, now, actions);
            case RUNNING -> running(event, now, actions);
            case STOPPING -> stopping(event, now, actions);
            case DONE -> {} // late records after the end change nothing that was written
        }
        return List.copyOf(actions);
    }

    private void planned(Event event, long now, List<Action> actions) {
        // Only Begin leaves PLANNED: nothing is out there to stop or wait for before the plan is published.
        if (event instanceof Event.Begin) {
            actions.add(new Action.Publish(spec));
            assignments.forEach(a -> actions.add(new Action.Publish(a)));
            actions.add(new Action.ShowPlanned());
            readyDeadline = now + readyTimeout.toMillis();
            moveTo(State.AWAITING_READY, "plan published");
        }
    }

    private void awaitingReady(Event event, long now, List<Action> actions) {
        if (event instanceof Event.Interrupt) {
            // Ctrl-C is the user's decision, not a failure of the run: INTERRUPTED, exit 130, as after the start.
            String reason = "interrupted by the user before the start";
            actions.add(new Action.Publish(new StopRun(StopRun.Reason.INTERRUPTED, reason)));
            finish(new Action.Finish(RunStatus.INTERRUPTED, null, List.of(), reason), actions);
        } else if (event instanceof Event.Tick) {
            // Decided on the tick, after a whole poll's records, so a failure names every agent that failed with it.
            if (!failures.isEmpty()) {
                StringBuilder why = new StringBuilder("the run could not start:");
                failures.forEach((who, reason) ->
                        why.append("\n  ").append(who).append(": ").append(reason));
                fail(why.toString(), actions);
            } else if (waiting.isEmpty()) {
                start(now, actions);
            } else if (now > readyDeadline) {
                fail("agents not ready within " + readyTimeout.toSeconds() + " s: " + waiting, actions);
            }
        } else if (event instanceof Event.Received received) {
            Message message = received.message();
            if (message instanceof AgentReady ready) {
                if (waiting.remove(ready.agentId())) {
                    actions.add(new Action.ShowReady(spec.agentIds().size() - waiting.size()));
                }
            } else if (message instanceof AgentFailed failed) {
                String tail = failed.stderrTail().isEmpty()
                        ? ""
                        : " (last stderr: "
                                + failed.stderrTail().get(failed.stderrTail().size() - 1) + ")";
                failed.agentIds().forEach(id -> failures.put(id, failed.reason() + tail));
            } else if (message instanceof AssignmentRejected rejected) {
                failures.put(
                        "worker " + rejected.workerId(),
                        "rejected the assignment: " + rejected.reason() + " " + rejected.detail());
            }
            // Windows or a summary before StartRun cannot be this start's: ignored.
        }
    }

    private void fail(String reason, List<Action> actions) {
        actions.add(new Action.Publish(new StopRun(StopRun.Reason.FAILED, reason)));
        finish(new Action.Finish(RunStatus.FAILED, null, List.of(), reason), actions);
    }

    private void start(long now, List<Action> actions) {
        long startAt = now + timings.startLead().toMillis();
        long deadlineAt =
                timings.startRunDeadline(startAt, spec.warmupMs() + spec.measureMs() + playbook.extraBudgetMs());
        giveUpAt = deadlineAt + timings.summaryGrace().toMillis();
        actions.add(new Action.Publish(
                new StartRun(startAt, spec.warmupMs(), playbook.agentMeasureMs(), deadlineAt, stopC2AfterWarmup)));
        actions.add(new Action.ShowStarted(startAt, spec.warmupMs(), spec.measureMs()));
        playbook.started(startAt, spec.agentIds());
        moveTo(State.RUNNING, "every agent ready");
    }

    private void running(Event event, long now, List<Action> actions) {
        if (event instanceof Event.Interrupt) {
            stop(new StopRun(StopRun.Reason.INTERRUPTED, "interrupted by the user"), now, actions);
            actions.add(new Action.Note("interrupted: stopping every agent and collecting what was measured..."));
        } else if (event instanceof Event.Tick) {
            if (summaryOverdue(now)) {
                giveUp(actions);
                return;
            }
            playbookRecords(playbook.onTick(now), actions);
            news(actions);
        } else if (event instanceof Event.Received received) {
            Message message = received.message();
            if (message instanceof StatsReport report) {
                playbook.onReport(report);
            } else if (message instanceof WindowSummary window) {
                window(window, actions);
                playbookRecords(playbook.onWindow(window, now), actions);
            } else if (message instanceof RunSummary summary) {
                if (!playbookStopped) {
                    actions.add(new Action.Publish(new StopRun(StopRun.Reason.COMPLETED, "run summary received")));
                }
                finish(summary, summary.status(), actions);
            } else if (message instanceof AgentFailed failed) {
                String what = failedText(failed);
                actions.add(new Action.Note(what));
                // Fail fast: the rest of the fleet would run its schedule out for a run that can no longer be
                // complete. Stop it now and keep what was measured.
                stop(new StopRun(StopRun.Reason.ABORTED, what), now, actions);
                actions.add(new Action.Note("stopping the run: it can no longer measure everything it asked for"));
            }
        }
    }

    private void stopping(Event event, long now, List<Action> actions) {
        // A second interrupt changes nothing: one StopRun per run.
        if (event instanceof Event.Tick) {
            long waitMs = timings.stopWait(sentStop.reason()).toMillis();
            if (now - sentStopAt > waitMs) {
                RunStatus status =
                        sentStop.reason() == StopRun.Reason.INTERRUPTED ? RunStatus.INTERRUPTED : RunStatus.INCOMPLETE;
                finish(
                        new Action.Finish(
                                status,
                                null,
                                windows,
                                sentStop.detail() + "; no run summary from the aggregator within " + waitMs / 1000
                                        + " s of the stop"),
                        actions);
            } else if (summaryOverdue(now)) {
                giveUp(actions);
            } else {
                news(actions);
            }
        } else if (event instanceof Event.Received received) {
            Message message = received.message();
            if (message instanceof WindowSummary window) {
                window(window, actions); // the playbook no longer steers a stopped run
            } else if (message instanceof RunSummary summary) {
                // An interrupt can race the agents' last reports to the aggregator, which then sees a complete
                // run, or (kbench local, where the terminal's Ctrl-C reaches the agents too) an incomplete one
                // whose only fault is agents that stopped early on that signal: the controller knows why, and its
                // status wins. Any other incompleteness (an agent lost before) stands.
                boolean interrupted = sentStop.reason() == StopRun.Reason.INTERRUPTED;
                RunStatus status = interrupted
                                && (summary.status() == RunStatus.COMPLETE
                                        || (summary.status() == RunStatus.INCOMPLETE && onlySignalled(summary)))
                        ? RunStatus.INTERRUPTED
                        : summary.status();
                finish(summary, status, actions);
            } else if (message instanceof AgentFailed failed && !stoppedByInterrupt(failed)) {
                // One StopRun per run: a further failure is told, not answered.
                actions.add(new Action.Note(failedText(failed)));
            }
        }
    }

    private void window(WindowSummary window, List<Action> actions) {
        windows.add(window);
        actions.add(new Action.ShowWindow(window));
    }

    private void stop(StopRun stop, long now, List<Action> actions) {
        actions.add(new Action.Publish(stop));
        sentStop = stop;
        sentStopAt = now;
        moveTo(State.STOPPING, stop.reason() + ": " + stop.detail());
    }

    private void aggregatorHealth(Event.AggregatorHealth health, long now) {
        if (health.busy()) {
            aggregatorsBusySince.putIfAbsent(health.memberId(), now);
        } else {
            Long since = aggregatorsBusySince.remove(health.memberId());
            if (since != null) {
                summaryWaitExtendedMs += now - since;
            }
        }
    }

    /**
     * No summary by the deadline plus the grace, plus the time an aggregator spent rebalancing or restoring (it is
     * working towards the summary then, up to {@link #MAX_SUMMARY_WAIT_EXTENSION_MS}).
     */
    private boolean summaryOverdue(long now) {
        return now > giveUpAt + summaryWaitExtensionMs(now);
    }

    private long summaryWaitExtensionMs(long now) {
        long busyNow = aggregatorsBusySince.values().stream()
                .mapToLong(since -> now - since)
                .max()
                .orElse(0);
        return Math.min(MAX_SUMMARY_WAIT_EXTENSION_MS, summaryWaitExtendedMs + busyNow);
    }

    private void giveUp(List<Action> actions) {
        actions.add(new Action.Publish(new StopRun(StopRun.Reason.FAILED, "no run summary")));
        finish(
                new Action.Finish(
                        RunStatus.FAILED,
                        null,
                        windows,
                        "no run summary from the aggregator by "
                                + timings.summaryGrace().toSeconds()
                                + " s after the deadline"
                                + (summaryWaitExtendedMs > 0
                                        ? " (plus " + summaryWaitExtendedMs / 1000
                                                + " s it spent rebalancing or restoring)"
                                        : "")
                                + "; is `kbench aggregator` running and healthy?"),
                actions);
    }

    private void finish(RunSummary summary, RunStatus status, List<Action> actions) {
        String problem = status == RunStatus.COMPLETE ? null : describe(summary, status);
        finish(new Action.Finish(status, summary, windows, problem), actions);
    }

    private void finish(Action.Finish finish, List<Action> actions) {
        actions.add(finish);
        moveTo(State.DONE, finish.status().name());
    }

    /** Publishes a playbook's records, noting whether one of them ends the run. */
    private void playbookRecords(List<Message> records, List<Action> actions) {
        for (Message record : records) {
            actions.add(new Action.Publish(record));
            playbookStopped |= record instanceof StopRun;
        }
    }

    private void news(List<Action> actions) {
        playbook.news().forEach(line -> actions.add(new Action.Note(line)));
    }

    private String describe(RunSummary summary, RunStatus status) {
        if (status == RunStatus.INTERRUPTED && sentStop != null) {
            return "interrupted by the user";
        }
        if (summary.statusReason() != null) {
            return summary.statusReason();
        }
        if (sentStop != null) {
            return sentStop.detail();
        }
        if (!summary.missingAgents().isEmpty()) {
            return "no final report from agent(s) " + summary.missingAgents() + " by the deadline";
        }
        return "run ended " + summary.status();
    }

    /**
     * An agent that stopped on SIGINT or SIGTERM after this controller was interrupted: in {@code kbench local} a
     * terminal's Ctrl-C reaches the agents too, and each stops as asked and reports what it measured. Its daemon
     * reports the exit (code 130, 143), the aggregator the early stop its last report gives ({@code SIGNAL}). That is
     * the stop the user wanted, not a failure to print.
     */
    private boolean stoppedByInterrupt(AgentFailed failed) {
        return sentStop.reason() == StopRun.Reason.INTERRUPTED
                && (failed.exitCode() == 128 + 2
                        || failed.exitCode() == 128 + 15
                        || failed.reason().startsWith(AgentStop.SIGNAL.name()));
    }

    /**
     * An incomplete summary whose reason names no stop cause but {@code SIGNAL} (the aggregator writes each early
     * agent as "agent X on worker W: CAUSE (detail)") and no agent missing.
     */
    private static boolean onlySignalled(RunSummary summary) {
        String reason = summary.statusReason();
        if (reason == null || !summary.missingAgents().isEmpty() || !reason.contains(AgentStop.SIGNAL.name())) {
            return false;
        }
        return java.util.Arrays.stream(AgentStop.values())
                        .filter(stop -> stop.abnormal() && stop != AgentStop.SIGNAL)
                        .noneMatch(stop -> reason.contains(": " + stop.name()))
                && !reason.contains("stop cause unknown");
    }

    private static String failedText(AgentFailed failed) {
        return "agent(s) " + failed.agentIds() + " on " + failed.workerId() + " failed: " + failed.reason();
    }

    /** The run's assignments, one per worker. */
    List<RunAssignment> assignments() {
        return assignments;
    }

    private void moveTo(State next, String why) {
        LOGGER.info("run state: runId={} from={} to={} why={}", runId, state, next, why);
        state = next;
    }
}
