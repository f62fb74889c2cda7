package io.kbench.controller.run;

import static io.kbench.controller.run.RunFixtures.MEASURE_MS;
import static io.kbench.controller.run.RunFixtures.WARMUP_MS;
import static io.kbench.controller.run.RunFixtures.failed;
import static io.kbench.controller.run.RunFixtures.ready;
import static io.kbench.controller.run.RunFixtures.summary;
import static io.kbench.controller.run.RunFixtures.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.controller.run.RunFixtures.ScriptedPlaybook;
import io.kbench.controller.run.RunLifecycle.Action;
import io.kbench.controller.run.RunLifecycle.Event;
import io.kbench.controller.run.RunLifecycle.State;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AssignmentRejected;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RateChange;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.message.WindowSummary;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunLifecycleTest {

    private static final long T0 = 1_000_000;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final RunTimings TIMINGS = RunTimings.DEFAULTS;
    /** When {@link #running} sends StartRun. */
    private static final long READY_AT = T0 + 100;

    private static final long START_AT = READY_AT + 1500;
    private static final long DEADLINE_AT = START_AT + WARMUP_MS + MEASURE_MS + 15_000;
    private static final long GIVE_UP_AT = DEADLINE_AT + 30_000;

    private final ScriptedPlaybook playbook = new ScriptedPlaybook();
    private final RunLifecycle lifecycle = new RunLifecycle(
            RunFixtures.RUN, RunFixtures.spec(), RunFixtures.assignments(), playbook, READY_TIMEOUT, TIMINGS, false);

    // --- helpers ---------------------------------------------------------------------------------------------

    private List<Action> receive(Message message, long now) {
        return lifecycle.on(new Event.Received(message), now);
    }

    private List<Action> tick(long now) {
        return lifecycle.on(new Event.Tick(), now);
    }

    private static List<Message> published(List<Action> actions) {
        return actions.stream()
                .filter(Action.Publish.class::isInstance)
                .map(a -> ((Action.Publish) a).message())
                .toList();
    }

    private static List<String> notes(List<Action> actions) {
        return actions.stream()
                .filter(Action.Note.class::isInstance)
                .map(a -> ((Action.Note) a).text())
                .toList();
    }

    private static Action.Finish finish(List<Action> actions) {
        List<Action.Finish> found = actions.stream()
                .filter(Action.Finish.class::isInstance)
                .map(Action.Finish.class::cast)
                .toList();
        assertTrue(found.size() <= 1, "at most one Finish: " + actions);
        return found.isEmpty() ? null : found.get(0);
    }

    private static StopRun onlyStop(List<Action> actions) {
        List<Message> stops =
                published(actions).stream().filter(StopRun.class::isInstance).toList();
        assertEquals(1, stops.size(), "one StopRun: " + actions);
        return (StopRun) stops.get(0);
    }

    private void awaiting() {
        lifecycle.on(new Event.Begin(), T0);
        assertEquals(State.AWAITING_READY, lifecycle.state());
    }

    private void running() {
        awaiting();
        receive(ready("p0"), T0 + 50);
        receive(ready("c0"), T0 + 60);
        tick(READY_AT);
        assertEquals(State.RUNNING, lifecycle.state());
    }

    // --- PLANNED ---------------------------------------------------------------------------------------------

    @Test
    void beginPublishesTheSpecThenEveryAssignmentAndShowsThePlan() {
        List<Action> actions = lifecycle.on(new Event.Begin(), T0);

        List<Message> out = published(actions);
        assertInstanceOf(RunSpec.class, out.get(0));
        assertEquals(RunFixtures.assignments(), out.subList(1, out.size()));
        assertInstanceOf(Action.ShowPlanned.class, actions.get(actions.size() - 1));
        assertEquals(State.AWAITING_READY, lifecycle.state());
    }

    @Test
    void nothingButBeginLeavesPlanned() {
        assertEquals(List.of(), tick(T0));
        assertEquals(List.of(), lifecycle.on(new Event.Interrupt(), T0));
        assertEquals(List.of(), receive(ready("p0"), T0));
        assertEquals(State.PLANNED, lifecycle.state());
    }

    // --- AWAITING_READY --------------------------------------------------------------------------------------

    @Test
    void everyReadyAgentIsCountedOnceAndTheLastStartsTheRunOnTheTick() {
        awaiting();
        assertEquals(List.of(new Action.ShowReady(1)), receive(ready("p0"), T0 + 10));
        assertEquals(List.of(), receive(ready("p0"), T0 + 20), "a repeated AgentReady counts once");
        assertEquals(List.of(), tick(T0 + 30), "one agent still missing");
        assertEquals(List.of(new Action.ShowReady(2)), receive(ready("c0"), T0 + 40));

        List<Action> actions = tick(READY_AT);

        StartRun start = (StartRun) published(actions).get(0);
        assertEquals(START_AT, start.startAt());
        assertEquals(WARMUP_MS, start.warmupMs());
        assertEquals(MEASURE_MS, start.measureMs());
        assertEquals(DEADLINE_AT, start.deadlineAt());
        assertFalse(start.stopsC2AfterWarmup(), "C2 stops only when the run decided so");
        assertTrue(actions.contains(new Action.ShowStarted(START_AT, WARMUP_MS, MEASURE_MS)));
        assertEquals(START_AT, playbook.startedAt);
        assertEquals(List.of("p0", "c0"), playbook.startedWith, "the playbook learns the run's agents");
        assertEquals(State.RUNNING, lifecycle.state());
    }

    @Test
    void aRunThatStopsTheAgentsC2AfterWarmupSaysSoInItsStartRun() {
        RunLifecycle stopping = new RunLifecycle(
                RunFixtures.RUN, RunFixtures.spec(), RunFixtures.assignments(), playbook, READY_TIMEOUT, TIMINGS, true);
        stopping.on(new Event.Begin(), T0);
        stopping.on(new Event.Received(ready("p0")), T0 + 10);
        stopping.on(new Event.Received(ready("c0")), T0 + 20);
        StartRun start =
                (StartRun) published(stopping.on(new Event.Tick(), READY_AT)).get(0);
        assertTrue(start.stopsC2AfterWarmup());
        assertEquals(START_AT, start.startAt());
    }

    @Test
    void theModesExtraBudgetLengthensStartRunsDeadline() {
        playbook.extraBudgetMs = 1_800_000;
        running();
        // The run has not given up at the plain deadline + grace: the budget pushed it out.
        assertEquals(null, finish(tick(GIVE_UP_AT + 1)));
        assertTrue(finish(tick(GIVE_UP_AT + 1_800_001)) != null);
    }

    @Test
    void notReadyExactlyAtTheTimeoutIsStillWaitedFor() {
        awaiting();
        receive(ready("p0"), T0 + 10);
        assertEquals(List.of(), tick(T0 + READY_TIMEOUT.toMillis()));
        assertEquals(State.AWAITING_READY, lifecycle.state());
    }

    @Test
    void notReadyOneMillisecondPastTheTimeoutFails() {
        awaiting();
        receive(ready("p0"), T0 + 10);

        List<Action> actions = tick(T0 + READY_TIMEOUT.toMillis() + 1);

        String why = "agents not ready within 90 s: [c0]";
        assertEquals(new StopRun(StopRun.Reason.FAILED, why), onlyStop(actions));
        assertEquals(new Action.Finish(RunStatus.FAILED, null, List.of(), why), finish(actions));
        assertEquals(State.DONE, lifecycle.state());
    }

    @Test
    void agentsFailingBeforeTheStartAreAllNamedAndTheRunFails() {
        awaiting();
        receive(ready("p0"), T0 + 10);
        receive(ready("c0"), T0 + 11);
        // Both arrive in one poll: the tick that follows names both, and does not start the run.
        assertEquals(List.of(), receive(failed("p0", "no metadata", "first", "last line"), T0 + 20));
        assertEquals(List.of(), receive(failed("c0", "no partitions"), T0 + 21));

        List<Action> actions = tick(T0 + 30);

        assertTrue(published(actions).stream().noneMatch(StartRun.class::isInstance));
        String why = "the run could not start:\n  p0: no metadata (last stderr: last line)\n  c0: no partitions";
        assertEquals(new StopRun(StopRun.Reason.FAILED, why), onlyStop(actions));
        assertEquals(RunStatus.FAILED, finish(actions).status());
        assertEquals(why, finish(actions).problem());
    }

    @Test
    void aRejectedAssignmentFailsTheRun() {
        awaiting();
        receive(new AssignmentRejected("w1", "r1-w1", AssignmentRejected.Reason.OVER_CAPACITY, "room for 1"), T0 + 5);

        Action.Finish end = finish(tick(T0 + 6));

        assertEquals(RunStatus.FAILED, end.status());
        assertEquals(
                "the run could not start:\n  worker w1: rejected the assignment: OVER_CAPACITY room for 1",
                end.problem());
    }

    @Test
    void anInterruptBeforeTheStartEndsTheRunInterruptedAtOnce() {
        awaiting();

        List<Action> actions = lifecycle.on(new Event.Interrupt(), T0 + 5);

        String why = "interrupted by the user before the start";
        assertEquals(new StopRun(StopRun.Reason.INTERRUPTED, why), onlyStop(actions));
        assertEquals(new Action.Finish(RunStatus.INTERRUPTED, null, List.of(), why), finish(actions));
    }

    @Test
    void windowsAndSummariesBeforeTheStartAreIgnored() {
        awaiting();
        assertEquals(List.of(), receive(window(T0), T0 + 1));
        assertEquals(List.of(), receive(summary(RunStatus.COMPLETE, null, List.of()), T0 + 2));
        assertEquals(State.AWAITING_READY, lifecycle.state());

        receive(ready("p0"), T0 + 50);
        receive(ready("c0"), T0 + 60);
        tick(READY_AT);
        RunSummary real = summary(RunStatus.COMPLETE, null, List.of());
        Action.Finish end = finish(receive(real, START_AT + 80_000));
        assertSame(real, end.summary());
        assertEquals(List.of(), end.windows(), "the early window is not part of the run");
    }

    // --- RUNNING ---------------------------------------------------------------------------------------------

    @Test
    void anAgentsReportGoesToThePlaybookOnly() {
        running();
        StatsReport report = io.kbench.controller.mode.Reports.report("p0", 3, START_AT, 100, 0);

        assertEquals(List.of(), receive(report, START_AT + 4_100), "nothing to show or publish");
        assertEquals(List.of(report), playbook.reportsSeen);
    }

    @Test
    void aWindowIsShownKeptAndGivenToThePlaybook() {
        running();
        playbook.onWindow.add(new RateChange(500));
        WindowSummary w = window(START_AT);

        List<Action> actions = receive(w, START_AT + 10_000);

        assertEquals(List.of(new Action.ShowWindow(w), new Action.Publish(new RateChange(500))), actions);
        assertEquals(List.of(w), playbook.windowsSeen);
        Action.Finish end = finish(receive(summary(RunStatus.COMPLETE, null, List.of()), START_AT + 80_000));
        assertEquals(List.of(w), end.windows());
    }

    @Test
    void aTickPublishesThePlaybooksRecordsAndItsNews() {
        running();
        playbook.onTick.add(new RateChange(900));
        playbook.news.add("rate 900 msg/s");

        List<Action> actions = tick(START_AT + 5_000);

        assertEquals(List.of(new RateChange(900)), published(actions));
        assertEquals(List.of("rate 900 msg/s"), notes(actions));
    }

    @Test
    void aCompleteSummaryEndsTheRunWithStopRunCompleted() {
        running();
        RunSummary complete = summary(RunStatus.COMPLETE, null, List.of());

        List<Action> actions = receive(complete, START_AT + 80_000);

        assertEquals(new StopRun(StopRun.Reason.COMPLETED, "run summary received"), onlyStop(actions));
        assertEquals(new Action.Finish(RunStatus.COMPLETE, complete, List.of(), null), finish(actions));
        assertEquals(State.DONE, lifecycle.state());
    }

    @Test
    void aPlaybookThatStoppedTheRunGetsNoSecondStopRun() {
        running();
        playbook.onWindow.add(new StopRun(StopRun.Reason.COMPLETED, "backlog run measured for its duration"));
        assertEquals(1, published(receive(window(START_AT), START_AT + 10_000)).size());

        List<Action> actions = receive(summary(RunStatus.COMPLETE, null, List.of()), START_AT + 12_000);

        assertEquals(List.of(), published(actions));
        assertEquals(RunStatus.COMPLETE, finish(actions).status());
    }

    @Test
    void anIncompleteSummaryIsDescribedByItsStatusReason() {
        running();
        Action.Finish end =
                finish(receive(summary(RunStatus.INCOMPLETE, "errors over the bound", List.of("p0")), DEADLINE_AT));
        assertEquals(RunStatus.INCOMPLETE, end.status());
        assertEquals("errors over the bound", end.problem());
    }

    @Test
    void anIncompleteSummaryWithoutReasonNamesTheMissingAgents() {
        running();
        Action.Finish end = finish(receive(summary(RunStatus.INCOMPLETE, null, List.of("p0")), DEADLINE_AT));
        assertEquals("no final report from agent(s) [p0] by the deadline", end.problem());
    }

    @Test
    void aFailedSummaryWithNothingToSayIsNamedByItsStatus() {
        running();
        assertEquals(
                "run ended FAILED",
                finish(receive(summary(RunStatus.FAILED, null, List.of()), DEADLINE_AT))
                        .problem());
    }

    @Test
    void noSummaryExactlyAtDeadlinePlusGraceIsStillWaitedFor() {
        running();
        List<Action> actions = tick(GIVE_UP_AT);
        assertNull(finish(actions));
        assertEquals(State.RUNNING, lifecycle.state());
    }

    @Test
    void noSummaryPastDeadlinePlusGraceFailsTheRunWithTheWindowsSeen() {
        running();
        WindowSummary w = window(START_AT);
        receive(w, START_AT + 10_000);

        List<Action> actions = tick(GIVE_UP_AT + 1);

        assertEquals(new StopRun(StopRun.Reason.FAILED, "no run summary"), onlyStop(actions));
        Action.Finish end = finish(actions);
        assertEquals(RunStatus.FAILED, end.status());
        assertNull(end.summary());
        assertEquals(List.of(w), end.windows());
        assertEquals(
                "no run summary from the aggregator by 30 s after the deadline; is `kbench aggregator` running and"
                        + " healthy?",
                end.problem());
    }

    // --- RUNNING -> STOPPING ---------------------------------------------------------------------------------

    @Test
    void anAgentFailingMidRunAbortsTheRunInTheSameStep() {
        running();

        List<Action> actions = receive(failed("p0", "exited with code 1"), START_AT + 20_000);

        String what = "agent(s) [p0] on w1 failed: exited with code 1";
        assertEquals(
                List.of(
                        new Action.Note(what),
                        new Action.Publish(new StopRun(StopRun.Reason.ABORTED, what)),
                        new Action.Note("stopping the run: it can no longer measure everything it asked for")),
                actions);
        assertEquals(State.STOPPING, lifecycle.state());
        assertEquals(StopRun.Reason.ABORTED, lifecycle.sentStop().reason());
    }

    @Test
    void aSecondAgentFailedIsToldButSendsNoSecondStopRun() {
        running();
        receive(failed("p0", "gone"), START_AT + 20_000);

        List<Action> actions = receive(failed("c0", "gone too"), START_AT + 20_100);

        assertEquals(List.of(new Action.Note("agent(s) [c0] on w1 failed: gone too")), actions);
        assertEquals(List.of(), lifecycle.on(new Event.Interrupt(), START_AT + 20_200), "no StopRun on interrupt");
    }

    @Test
    void anAbortedRunTakesTheAggregatorsVerdict() {
        running();
        receive(failed("p0", "gone"), START_AT + 20_000);
        RunSummary incomplete = summary(RunStatus.INCOMPLETE, "agent p0 stopped FAILED", List.of());

        List<Action> actions = receive(incomplete, START_AT + 26_000);

        assertEquals(List.of(), published(actions), "the run was stopped already");
        assertEquals(
                new Action.Finish(RunStatus.INCOMPLETE, incomplete, List.of(), "agent p0 stopped FAILED"),
                finish(actions));
    }

    @Test
    void anAbortedRunsSummaryWithoutReasonIsDescribedByTheStop() {
        running();
        receive(failed("p0", "gone"), START_AT + 20_000);
        Action.Finish end = finish(receive(summary(RunStatus.INCOMPLETE, null, List.of()), START_AT + 26_000));
        assertEquals("agent(s) [p0] on w1 failed: gone", end.problem());
    }

    @Test
    void anAbortedRunWithoutSummaryEndsIncompleteOneMillisecondAfterTheAbortWait() {
        running();
        long abortAt = START_AT + 20_000;
        receive(failed("p0", "gone"), abortAt);
        WindowSummary late = window(START_AT + 10_000);
        assertEquals(List.of(new Action.ShowWindow(late)), receive(late, abortAt + 1_000));

        assertNull(finish(tick(abortAt + 30_000)), "exactly at the wait: still waiting");
        List<Action> actions = tick(abortAt + 30_001);

        assertEquals(List.of(), published(actions));
        assertEquals(
                new Action.Finish(
                        RunStatus.INCOMPLETE,
                        null,
                        List.of(late),
                        "agent(s) [p0] on w1 failed: gone; no run summary from the aggregator within 30 s of the"
                                + " stop"),
                finish(actions));
    }

    @Test
    void windowsAfterTheStopAreKeptButNotSteered() {
        running();
        receive(failed("p0", "gone"), START_AT + 20_000);
        playbook.onWindow.add(new RateChange(1));
        playbook.onTick.add(new RateChange(2));

        List<Action> onWindow = receive(window(START_AT + 10_000), START_AT + 21_000);
        List<Action> onTick = tick(START_AT + 21_100);

        assertEquals(List.of(), published(onWindow));
        assertEquals(List.of(), published(onTick));
        assertTrue(playbook.windowsSeen.isEmpty());
    }

    @Test
    void theDeadlineStillBindsAStoppingRun() {
        running();
        // Stopped 5 s before the give-up instant: the 30 s abort wait would outlast it.
        receive(failed("p0", "gone"), GIVE_UP_AT - 5_000);

        List<Action> actions = tick(GIVE_UP_AT + 1);

        assertEquals(new StopRun(StopRun.Reason.FAILED, "no run summary"), onlyStop(actions));
        assertEquals(RunStatus.FAILED, finish(actions).status());
    }

    @Test
    void anInterruptStopsTheRunOnce() {
        running();

        List<Action> actions = lifecycle.on(new Event.Interrupt(), START_AT + 5_000);

        assertEquals(new StopRun(StopRun.Reason.INTERRUPTED, "interrupted by the user"), onlyStop(actions));
        assertEquals(List.of("interrupted: stopping every agent and collecting what was measured..."), notes(actions));
        assertEquals(List.of(), lifecycle.on(new Event.Interrupt(), START_AT + 5_200));
        assertEquals(State.STOPPING, lifecycle.state());
    }

    @Test
    void agentsThatTheInterruptStoppedAreNotReportedFailed() {
        running();
        lifecycle.on(new Event.Interrupt(), START_AT + 5_000);

        // kbench local: the terminal's Ctrl-C reached the agents too; they stopped and exited 130 (SIGINT).
        AgentFailed sigint = new AgentFailed("w1", List.of("p0"), 130, "exited with code 130", List.of());
        assertEquals(List.of(), receive(sigint, START_AT + 5_300));
        AgentFailed sigterm = new AgentFailed("w1", List.of("c0"), 143, "exited with code 143", List.of());
        assertEquals(List.of(), receive(sigterm, START_AT + 5_400));
        // The aggregator's word for the same early stop, from the agent's last report.
        AgentFailed early = new AgentFailed("w1", List.of("c0"), -1, "SIGNAL: JVM shutdown hook", List.of());
        assertEquals(List.of(), receive(early, START_AT + 5_450));
        // Any other exit is still a failure worth telling.
        assertEquals(
                List.of(new Action.Note("agent(s) [c1] on w1 failed: out of memory")),
                receive(failed("c1", "out of memory"), START_AT + 5_500));
    }

    @Test
    void theControllersInterruptWinsOverAnIncompleteSummary() {
        running();
        lifecycle.on(new Event.Interrupt(), START_AT + 5_000);
        // Agents that got the Ctrl-C themselves stopped early: the aggregator calls the run incomplete.
        RunSummary incomplete = summary(RunStatus.INCOMPLETE, "agent p0 on worker w1: SIGNAL", List.of());

        Action.Finish end = finish(receive(incomplete, START_AT + 8_000));

        assertEquals(RunStatus.INTERRUPTED, end.status());
        assertEquals("interrupted by the user", end.problem());
    }

    @Test
    void theControllersInterruptWinsOverACompleteSummary() {
        running();
        lifecycle.on(new Event.Interrupt(), START_AT + 5_000);
        RunSummary complete = summary(RunStatus.COMPLETE, null, List.of());

        Action.Finish end = finish(receive(complete, START_AT + 8_000));

        assertEquals(RunStatus.INTERRUPTED, end.status());
        assertSame(complete, end.summary());
        assertEquals("interrupted by the user", end.problem());
    }

    @Test
    void anInterruptedRunKeepsAnIncompleteVerdict() {
        running();
        lifecycle.on(new Event.Interrupt(), START_AT + 5_000);
        Action.Finish end = finish(receive(summary(RunStatus.INCOMPLETE, null, List.of()), START_AT + 8_000));
        assertEquals(RunStatus.INCOMPLETE, end.status());
        assertEquals("interrupted by the user", end.problem());
    }

    @Test
    void anInterruptedRunWithoutSummaryIsWrittenFromItsWindowsAfterTheInterruptWait() {
        running();
        WindowSummary w = window(START_AT);
        receive(w, START_AT + 10_000);
        long stopAt = START_AT + 12_000;
        lifecycle.on(new Event.Interrupt(), stopAt);

        assertNull(finish(tick(stopAt + 15_000)));
        Action.Finish end = finish(tick(stopAt + 15_001));

        assertEquals(
                new Action.Finish(
                        RunStatus.INTERRUPTED,
                        null,
                        List.of(w),
                        "interrupted by the user; no run summary from the aggregator within 15 s of the stop"),
                end);
    }

    @Test
    void aStoppingRunStillTellsThePlaybooksNews() {
        running();
        lifecycle.on(new Event.Interrupt(), START_AT + 5_000);
        playbook.news.add("discovered 1,000 msg/s");
        assertEquals(List.of("discovered 1,000 msg/s"), notes(tick(START_AT + 5_100)));
    }

    // --- DONE ------------------------------------------------------------------------------------------------

    @Test
    void nothingHappensAfterTheEnd() {
        running();
        receive(summary(RunStatus.COMPLETE, null, List.of()), START_AT + 80_000);

        assertEquals(List.of(), receive(window(START_AT + 70_000), START_AT + 81_000));
        assertEquals(List.of(), receive(failed("p0", "late"), START_AT + 81_000));
        assertEquals(List.of(), lifecycle.on(new Event.Interrupt(), START_AT + 81_000));
        assertEquals(List.of(), tick(GIVE_UP_AT + 100_000));
        assertEquals(List.of(), lifecycle.on(new Event.Begin(), GIVE_UP_AT + 100_000));
        assertEquals(State.DONE, lifecycle.state());
    }

    @Test
    void aFailedStartEndsTheRunForGood() {
        awaiting();
        lifecycle.on(new Event.Interrupt(), T0 + 1);
        assertEquals(List.of(), receive(ready("p0"), T0 + 2));
        assertEquals(List.of(), tick(T0 + 3));
        assertEquals(State.DONE, lifecycle.state());
    }

    @Test
    void assignmentsAreTheOnesGiven() {
        RunAssignment only = RunFixtures.assignments().get(0);
        assertEquals(List.of(RunFixtures.spec(), only), published(lifecycle.on(new Event.Begin(), T0)));
    }
}
