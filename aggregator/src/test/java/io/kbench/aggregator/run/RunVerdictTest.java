package io.kbench.aggregator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.message.Workload;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every way a run can end, judged on a two-agent run (producer {@code a} on worker {@code w1}, producer {@code b}
 * on {@code w2}) of 20 s measured after 2 s of warm-up, 1 s reports at 1,000 msg/s per agent.
 */
class RunVerdictTest {

    private static final long START = 1_000_000;
    private static final long WARMUP = 2_000;
    private static final long MEASURE = 20_000;
    private static final long MEASURE_START = START + WARMUP;
    private static final long MEASURE_END = MEASURE_START + MEASURE;

    private final RunAccumulator run = new RunAccumulator("r1", 0);
    private final Map<String, Long> seqs = new java.util.HashMap<>();
    /** How long each agent's JIT compilers ran per second of its reports. */
    private long compileMsPerSecond;
    /** Acks per second each producer's measured reports carry for sends intended before the measurement. */
    private long lateAcksPerSecond;
    /** How long each agent's JVM spent in garbage collections per second of its reports, and how many it made. */
    private final Map<String, Long> gcMsPerSecond = new java.util.HashMap<>();

    private final Map<String, Long> gcsPerSecond = new java.util.HashMap<>();

    private void start(long measureMs) {
        start(measureMs, null);
    }

    private void start(long measureMs, Workload workload) {
        run.applySpec(
                new RunSpec(
                        "wl",
                        "kafka",
                        workload,
                        null,
                        List.of("a", "b"),
                        Map.of("w1", 1, "w2", 1),
                        List.of("t"),
                        1,
                        WARMUP,
                        measureMs,
                        1000,
                        5,
                        null,
                        null,
                        0),
                0);
        run.applyStart(new StartRun(START, WARMUP, measureMs, START + 120_000), 0);
    }

    /** One-second reports of {@code agent} from the start to {@code untilMs} after the measurement's start. */
    private void reportUntil(String agent, String worker, long untilMs, AgentRole role, long perSecond, long errors) {
        for (long t = START; t < MEASURE_START + untilMs; t += 1_000) {
            long end = Math.min(t + 1_000, MEASURE_START + untilMs);
            send(report(agent, worker, role, t, end, perSecond * (end - t) / 1_000, errors, false, null, null));
        }
    }

    /** The agent's last report: the acks that came in between its last cut and its close, 400 ms later. */
    private Optional<AgentFailed> last(String agent, String worker, long atMs, AgentStop stop, String detail) {
        StatsReport last = report(
                agent,
                worker,
                AgentRole.PRODUCER,
                MEASURE_START + atMs,
                MEASURE_START + atMs + 400,
                30,
                0,
                true,
                stop,
                detail);
        send(last);
        return run.earlyFailure(last);
    }

    private void send(StatsReport report) {
        run.apply(report.agentId() + report.seq(), report, 0);
    }

    private StatsReport report(
            String agent,
            String worker,
            AgentRole role,
            long from,
            long to,
            long count,
            long errors,
            boolean last,
            AgentStop stop,
            String detail) {
        long seq = seqs.merge(agent, 1L, Long::sum) - 1;
        boolean producer = role == AgentRole.PRODUCER;
        return new StatsReport(
                agent,
                worker,
                role,
                from < MEASURE_START ? Phase.WARMUP : Phase.MEASURE,
                seq,
                from,
                to,
                producer ? count : 0,
                producer ? count * 100 : 0,
                errors,
                errors > 0 ? Map.of("RecordTooLargeException", errors) : Map.of(),
                producer ? 0 : count,
                producer ? 0 : count * 100,
                0,
                0,
                0,
                Map.of(),
                last,
                stop,
                detail,
                producer && from >= MEASURE_START ? lateAcksPerSecond * (to - from) / 1_000 : 0,
                compileMsPerSecond * (to - from) / 1_000,
                gcMsPerSecond.getOrDefault(agent, 0L) * (to - from) / 1_000,
                gcsPerSecond.getOrDefault(agent, 0L) * (to - from) / 1_000);
    }

    private RunSummary summary() {
        return run.summarize(0, List.of());
    }

    private void fullRun(String agent, String worker) {
        reportUntil(agent, worker, MEASURE, AgentRole.PRODUCER, 1_000, 0);
        last(agent, worker, MEASURE, AgentStop.SCHEDULE_END, null);
    }

    /** Agents a and b, on workers w1 and w2, ran the whole schedule of a run of {@code workload} (null: none). */
    private RunSummary bothRanTheSchedule(Workload workload) {
        start(MEASURE, workload);
        fullRun("a", "w1");
        fullRun("b", "w2");
        return summary();
    }

    @Test
    void completeWhenEveryAgentCoveredTheScheduleAndStoppedNormally() {
        RunSummary summary = bothRanTheSchedule(null);

        assertTrue(run.allAgentsEnded());
        assertEquals(RunStatus.COMPLETE, summary.status());
        assertNull(summary.statusReason());
        assertEquals(List.of(), summary.notes());
        assertEquals(MEASURE_START, summary.measureStart());
        assertEquals(MEASURE_END, summary.measureEnd(), "the span is the schedule, not the late final reports");
        assertEquals((2 * 20_000 + 2 * 30) / 20.0, summary.rates().publishRate(), 1e-9);
    }

    @Test
    void aMeasurementDuringWhichTheAgentsStillCompiledIsNoted() {
        compileMsPerSecond = 150; // 15 % of each agent's time: a JVM still warming up
        RunSummary summary = bothRanTheSchedule(null);

        assertEquals(RunStatus.COMPLETE, summary.status(), "a note, not a failure");
        // 2 agents x (20 s + the final report's 400 ms) x 150 ms/s over 2 agents x 20 s.
        assertEquals(
                List.of("agents' JVMs were still JIT-compiling during the measurement (15 % of its 20 s, averaged over"
                        + " 2 agents): the figures include warm-up; a longer warm-up measures steady code"),
                summary.notes());
    }

    @Test
    void anAgentWhoseJvmPausedForGarbageCollectionIsNamedWithHowOftenAndHowLong() {
        gcMsPerSecond.put("a", 5L); // 0.5 %: a settled JVM's short young collections
        gcsPerSecond.put("a", 5L);
        gcMsPerSecond.put("b", 30L); // 3 %: one pause of 60 ms every 2 s
        gcsPerSecond.put("b", 1L);
        RunSummary summary = bothRanTheSchedule(null);

        assertEquals(RunStatus.COMPLETE, summary.status(), "a note, not a failure");
        // b: (20 s + the final report's 400 ms) x 30 ms/s = 612 ms, in 20 collections, over the 20 s measurement.
        assertEquals(
                List.of("agent b's JVM spent 3.1 % of the 20 s measurement in garbage collection (20 collections, 30.6"
                        + " ms each on average; 1.8 % averaged over 2 agents): latencies include the load generator's"
                        + " own pauses"),
                summary.notes());
    }

    @Test
    void shortCollectionsBelowAHundredthOfTheMeasurementAreNotNoted() {
        gcMsPerSecond.put("a", 9L); // 0.9 %
        gcsPerSecond.put("a", 9L);
        assertEquals(List.of(), bothRanTheSchedule(null).notes());
    }

    private static Workload producingAtTotalRate(double rate) {
        return Workload.builder()
                .name("wl")
                .topics(1)
                .partitionsPerTopic(1)
                .messageSize(100)
                .subscriptionsPerTopic(1)
                .producersPerTopic(2)
                .consumerPerSubscription(1)
                .producerRate(rate)
                .testDurationSeconds(20)
                .warmupDurationSeconds(5)
                .build();
    }

    @Test
    void producersThatPublishedLessThanTheWorkloadAskedAreNoted() {
        // The agents report ~1,000 msg/s each: 2,003 of 2,500.
        RunSummary summary = bothRanTheSchedule(producingAtTotalRate(2_500));

        assertEquals(RunStatus.COMPLETE, summary.status(), "the schedule was measured: a note, not a failure");
        assertEquals(
                List.of("producers published 2,003 msg/s of the 2,500 asked (80.1 %): they fell behind their schedule,"
                        + " so the latencies measure a saturated cluster or load generator (the publish delay says how"
                        + " late the sends were)"),
                summary.notes());
    }

    @Test
    void producersBehindTheirScheduleAreNotedWithWhatTheyDidAcknowledge() {
        lateAcksPerSecond = 200; // each producer acked 200 msg/s of warm-up sends during the measurement
        RunSummary summary = bothRanTheSchedule(producingAtTotalRate(2_500));

        assertEquals(
                List.of("producers published 2,003 msg/s of the 2,500 asked (80.1 %; with the acks of sends intended"
                        + " before the measurement, 2,411 msg/s): they fell behind their schedule, so the latencies"
                        + " measure a saturated cluster or load generator (the publish delay says how late the sends"
                        + " were)"),
                summary.notes());
    }

    @Test
    void producersWithinAHundredthOfTheAskedRateAreNotNoted() {
        // 2,003 published: 0.8 % short.
        assertEquals(List.of(), bothRanTheSchedule(producingAtTotalRate(2_020)).notes());
    }

    @Test
    void maxRateDiscoveryAsksForNoFixedRate() {
        assertEquals(List.of(), bothRanTheSchedule(producingAtTotalRate(0)).notes());
    }

    @Test
    void theOccasionalCompilationOfASteadyJvmIsNotNoted() {
        compileMsPerSecond = 80; // 8 %: a settled JVM on a busy 2-core host still compiles now and then
        assertEquals(List.of(), bothRanTheSchedule(null).notes());
    }

    @Test
    void incompleteWhenAnAgentSentNoFinalReport() {
        start(MEASURE);
        fullRun("a", "w1");
        reportUntil("b", "w2", 12_000, AgentRole.PRODUCER, 1_000, 0);

        RunSummary summary = summary();

        assertEquals(RunStatus.INCOMPLETE, summary.status());
        assertEquals(List.of("b"), summary.missingAgents());
        assertEquals("agent b on worker w2: no final report, measured 12 s of 20 s", summary.statusReason());
        assertTrue(summary.notes().contains("backlog unknown: producer b's last sends were never reported"));
    }

    @Test
    void incompleteWhenAnAgentsDaemonWentAwayAtSixtyPercent() {
        start(MEASURE);
        reportUntil("a", "w1", 12_300, AgentRole.PRODUCER, 1_000, 0);
        reportUntil("b", "w2", 12_000, AgentRole.PRODUCER, 1_000, 0);

        Optional<AgentFailed> failed = last("b", "w2", 12_000, AgentStop.DAEMON_GONE, "stdin closed");
        run.applyStop(new StopRun(StopRun.Reason.ABORTED, "agent b on w2 failed"), MEASURE_START + 12_300, 0);
        last("a", "w1", 12_300, AgentStop.RUN_STOPPED, "ABORTED: agent b on w2 failed");
        RunSummary summary = summary();

        assertEquals(
                Optional.of(new AgentFailed("w2", List.of("b"), -1, "DAEMON_GONE: stdin closed", List.of())), failed);
        assertEquals(RunStatus.INCOMPLETE, summary.status());
        assertEquals(
                "stopped by StopRun ABORTED: agent b on w2 failed; "
                        + "agent b on worker w2: DAEMON_GONE (stdin closed), measured 12.4 s of 20 s; "
                        + "agent a on worker w1: RUN_STOPPED (ABORTED: agent b on w2 failed), measured 12.7 s of 20 s",
                summary.statusReason());
        assertEquals(MEASURE_START + 12_300, summary.measureEnd(), "up to the StopRun, not past it");
    }

    @Test
    void incompleteWhenAnAgentGotASignal() {
        start(MEASURE);
        fullRun("a", "w1");
        reportUntil("b", "w2", 5_000, AgentRole.PRODUCER, 1_000, 0);
        last("b", "w2", 5_000, AgentStop.SIGNAL, "SIGTERM");

        RunSummary summary = summary();

        assertEquals(RunStatus.INCOMPLETE, summary.status());
        assertEquals("agent b on worker w2: SIGNAL (SIGTERM), measured 5.4 s of 20 s", summary.statusReason());
        assertTrue(summary.notes().contains("backlog unknown: producer b's last sends were never reported"));
    }

    @Test
    void failedWhenSendErrorsExceedTheBound() {
        start(MEASURE);
        for (String agent : List.of("a", "b")) {
            String worker = agent.equals("a") ? "w1" : "w2";
            reportUntil(agent, worker, MEASURE, AgentRole.PRODUCER, 0, 500);
            last(agent, worker, MEASURE, AgentStop.SCHEDULE_END, null);
        }

        RunSummary summary = summary();

        assertEquals(RunStatus.FAILED, summary.status());
        assertEquals(
                "20,000 of 20,060 sends failed (RecordTooLargeException), over the 0.1 % bound",
                summary.statusReason());
        assertEquals(60 / 20.0, summary.rates().publishRate(), 1e-9, "only the final reports' 30 acks each");
    }

    @Test
    void sendsLeftUnacknowledgedAtTheStopAreNotedNotCountedAsFailures() {
        start(MEASURE);
        fullRun("a", "w1");
        reportUntil("b", "w2", MEASURE, AgentRole.PRODUCER, 1_000, 0);
        // The producer's close aborted 5,000 sends still in its buffer: 12 % of what it attempted.
        long seq = seqs.merge("b", 1L, Long::sum) - 1;
        send(new StatsReport(
                "b",
                "w2",
                AgentRole.PRODUCER,
                Phase.MEASURE,
                seq,
                MEASURE_END,
                MEASURE_END + 400,
                30,
                3_000,
                0,
                Map.of(StatsReport.UNACKED_AT_STOP, 5_000L),
                0,
                0,
                0,
                0,
                0,
                Map.of(),
                true,
                AgentStop.SCHEDULE_END,
                null,
                0,
                0L,
                null,
                null));

        RunSummary summary = summary();

        assertEquals(RunStatus.COMPLETE, summary.status(), summary.statusReason());
        assertEquals(
                List.of("5,000 sends were still unacknowledged when the producers closed at their stop (neither sent"
                        + " nor failed)"),
                summary.notes());
    }

    @Test
    void completeWithANoteWhenSendErrorsStayWithinTheBound() {
        start(MEASURE);
        fullRun("a", "w1");
        reportUntil("b", "w2", MEASURE, AgentRole.PRODUCER, 1_000, 0);
        // 20 failed of 40,050 attempted: 0.05 %
        send(report(
                "b",
                "w2",
                AgentRole.PRODUCER,
                MEASURE_END,
                MEASURE_END + 400,
                0,
                20,
                true,
                AgentStop.SCHEDULE_END,
                null));

        RunSummary summary = summary();

        assertEquals(RunStatus.COMPLETE, summary.status());
        assertNull(summary.statusReason());
        assertEquals(
                List.of("20 of 40,050 sends failed (RecordTooLargeException), within the 0.1 % bound"),
                summary.notes());
    }

    @Test
    void interruptedByAStopRunOfTheOperatorOrInterrupted() {
        for (StopRun.Reason reason : List.of(StopRun.Reason.INTERRUPTED, StopRun.Reason.OPERATOR)) {
            RunVerdictTest test = new RunVerdictTest();
            test.start(MEASURE);
            test.reportUntil("a", "w1", 8_000, AgentRole.PRODUCER, 1_000, 0);
            test.reportUntil("b", "w2", 8_000, AgentRole.PRODUCER, 1_000, 0);
            test.run.applyStop(new StopRun(reason, "operator pressed Ctrl-C"), MEASURE_START + 8_000, 0);
            test.last("a", "w1", 8_000, AgentStop.RUN_STOPPED, reason + ": operator pressed Ctrl-C");
            test.last("b", "w2", 8_000, AgentStop.RUN_STOPPED, reason + ": operator pressed Ctrl-C");

            RunSummary summary = test.summary();

            assertEquals(RunStatus.INTERRUPTED, summary.status(), reason.name());
            assertTrue(
                    summary.statusReason()
                            .startsWith("stopped by StopRun " + reason + ": operator pressed Ctrl-C; agent a on worker"
                                    + " w1: RUN_STOPPED (" + reason
                                    + ": operator pressed Ctrl-C), measured 8.4 s of 20 s"),
                    summary.statusReason());
            assertEquals(MEASURE_START + 8_000, summary.measureEnd());
        }
    }

    @Test
    void interruptedWhenTheAgentsReportTheStopRunBeforeItReachesTheAggregator() {
        start(MEASURE);
        reportUntil("a", "w1", 8_000, AgentRole.PRODUCER, 1_000, 0);
        last("a", "w1", 8_000, AgentStop.RUN_STOPPED, "INTERRUPTED: Ctrl-C");
        reportUntil("b", "w2", 8_000, AgentRole.PRODUCER, 1_000, 0);
        last("b", "w2", 8_000, AgentStop.RUN_STOPPED, "INTERRUPTED: Ctrl-C");

        RunSummary summary = summary();

        assertEquals(RunStatus.INTERRUPTED, summary.status());
        assertTrue(
                summary.statusReason().startsWith("stopped by StopRun INTERRUPTED (as the agents report it); "),
                summary.statusReason());
    }

    @Test
    void failedByAStopRunFailed() {
        start(MEASURE);
        reportUntil("a", "w1", 3_000, AgentRole.PRODUCER, 1_000, 0);
        run.applyStop(new StopRun(StopRun.Reason.FAILED, "cluster unreachable"), MEASURE_START + 3_000, 0);

        RunSummary summary = summary();

        assertEquals(RunStatus.FAILED, summary.status());
        assertEquals(
                "stopped by StopRun FAILED: cluster unreachable; "
                        + "agent a on worker w1: no final report, measured 3 s of 20 s; "
                        + "agent b (worker unknown): no final report, measured 0 s of 20 s",
                summary.statusReason());
    }

    @Test
    void openEndedRunIsCompleteUpToItsStopRunCompleted() {
        start(0);
        reportUntil("a", "w1", 15_000, AgentRole.PRODUCER, 1_000, 0);
        reportUntil("b", "w2", 15_000, AgentRole.PRODUCER, 1_000, 0);
        run.applyStop(new StopRun(StopRun.Reason.COMPLETED, "backlog run measured"), MEASURE_START + 15_000, 0);
        last("a", "w1", 15_000, AgentStop.RUN_STOPPED, "COMPLETED: backlog run measured");
        last("b", "w2", 15_000, AgentStop.RUN_STOPPED, "COMPLETED: backlog run measured");

        RunSummary summary = summary();

        assertEquals(RunStatus.COMPLETE, summary.status());
        assertNull(summary.statusReason());
        assertEquals(MEASURE_START + 15_000, summary.measureEnd());
        assertEquals((2 * 15_000 + 2 * 30) / 15.0, summary.rates().publishRate(), 1e-9);
    }

    @Test
    void openEndedRunCutShortSaysHowLongTheAgentMeasured() {
        start(0);
        reportUntil("a", "w1", 15_000, AgentRole.PRODUCER, 1_000, 0);
        reportUntil("b", "w2", 7_000, AgentRole.PRODUCER, 1_000, 0);
        assertTrue(last("b", "w2", 7_000, AgentStop.FAILED, "TimeoutException").isPresent());
        run.applyStop(new StopRun(StopRun.Reason.ABORTED, "agent b failed"), MEASURE_START + 15_000, 0);
        last("a", "w1", 15_000, AgentStop.RUN_STOPPED, "ABORTED: agent b failed");

        RunSummary summary = summary();

        assertEquals(RunStatus.INCOMPLETE, summary.status());
        assertTrue(
                summary.statusReason().contains("agent b on worker w2: FAILED (TimeoutException), measured 7.4 s;"),
                summary.statusReason());
    }

    @Test
    void anOldAgentWithoutAStopCauseIsCompleteOnlyWhenItCoveredTheSchedule() {
        start(MEASURE);
        fullRun("a", "w1");
        reportUntil("b", "w2", MEASURE, AgentRole.PRODUCER, 1_000, 0);
        last("b", "w2", MEASURE, null, null);
        assertEquals(RunStatus.COMPLETE, summary().status());

        RunVerdictTest shortRun = new RunVerdictTest();
        shortRun.start(MEASURE);
        shortRun.fullRun("a", "w1");
        shortRun.reportUntil("b", "w2", 10_000, AgentRole.PRODUCER, 1_000, 0);
        shortRun.last("b", "w2", 10_000, null, null);
        RunSummary summary = shortRun.summary();
        assertEquals(RunStatus.INCOMPLETE, summary.status());
        assertEquals(
                "agent b on worker w2: reports end early (stop cause unknown), measured 10.4 s of 20 s",
                summary.statusReason());
    }

    @Test
    void backlogIsNeverNegative() {
        // Given consumer b received more than producer a reported sent, and a ended normally
        start(MEASURE);
        fullRun("a", "w1");
        reportUntil("b", "w2", MEASURE, AgentRole.CONSUMER, 1_100, 0);
        send(report(
                "b",
                "w2",
                AgentRole.CONSUMER,
                MEASURE_END,
                MEASURE_END + 400,
                0,
                0,
                true,
                AgentStop.SCHEDULE_END,
                null));

        RunSummary summary = summary();

        assertEquals(0, summary.backlog());
        assertTrue(
                summary.notes().get(0).startsWith("backlog read -2,170 "),
                summary.notes().toString());
    }

    @Test
    void forwardsAnAbnormalEndOnlyOnceAndOnlyBeforeTheScheduleEnds() {
        start(MEASURE);
        reportUntil("a", "w1", MEASURE, AgentRole.PRODUCER, 1_000, 0);
        // a's daemon went away while it closed, after measuring everything: nothing to stop
        assertFalse(
                last("a", "w1", MEASURE, AgentStop.DAEMON_GONE, "stdin closed").isPresent());
        reportUntil("b", "w2", 4_000, AgentRole.PRODUCER, 1_000, 0);
        // the last agent to end ends the run: its summary tells it all
        assertFalse(last("b", "w2", 4_000, AgentStop.DEADLINE, null).isPresent());
    }
}
