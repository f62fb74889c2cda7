package io.kbench.aggregator.topology;

import static io.kbench.aggregator.Fixtures.consumed;
import static io.kbench.aggregator.Fixtures.histogram;
import static io.kbench.aggregator.Fixtures.produced;
import static io.kbench.aggregator.Fixtures.range;
import static io.kbench.aggregator.Fixtures.spec;
import static io.kbench.aggregator.topology.TopologyHarness.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.aggregator.Fixtures;
import io.kbench.aggregator.metrics.AggregatorMeters;
import io.kbench.protocol.Envelope;
import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.message.SweepSummary;
import io.kbench.protocol.message.WindowSummary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AggregatorTopologyTest {

    private static final long START = T0 + 1_000;
    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private void startRun(String runId, List<String> agents, int subscriptions, long warmupMs) {
        startRun(runId, agents, subscriptions, warmupMs, 4_000);
    }

    private void startRun(String runId, List<String> agents, int subscriptions, long warmupMs, long measureMs) {
        harness.control(runId, spec(agents, subscriptions, 1, null, null));
        harness.control(runId, new StartRun(START, warmupMs, measureMs, START + 10_000));
    }

    @Test
    void mergesPercentilesAcrossAgentsExactly() {
        startRun("r1", List.of("a", "b"), 1, 0, 1_000);
        Histogram fromA = range(1, 1_000);
        Histogram fromB = range(5_000, 5_999);
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 1_000, fromA, true));
        harness.report("r1", produced("b", "w2", Phase.MEASURE, 0, START, START + 1_000, 1_000, fromB, true));

        RunSummary summary = harness.runSummaries(harness.results()).get(0);

        Histogram all = HistogramCodec.newHistogram();
        all.add(fromA);
        all.add(fromB);
        LatencyStats expected = HistogramCodec.stats(all);
        assertEquals(expected, summary.latencies().get(LatencyKind.PUBLISH_LATENCY));
        double averagedP99 =
                (HistogramCodec.stats(fromA).p99() + HistogramCodec.stats(fromB).p99()) / 2;
        assertNotEquals(
                averagedP99,
                summary.latencies().get(LatencyKind.PUBLISH_LATENCY).p99());
        assertEquals(all, HistogramCodec.decode(summary.histograms().get(LatencyKind.PUBLISH_LATENCY)));
        assertEquals(RunStatus.COMPLETE, summary.status());
        assertEquals(2_000, summary.messagesSent());
        assertEquals(2_000, summary.rates().publishRate(), 1e-9);
        assertEquals(0.2, summary.rates().publishMBps(), 1e-9);
        assertEquals(100.0, summary.cpuPercent(), 1e-9, "each agent spends half a core");
        assertEquals(java.util.Set.of("w1", "w2"), summary.perWorker().keySet());
        assertEquals(1_000, summary.perAgent().get("a").publishRate(), 1e-9);
    }

    @Test
    void excludesWarmUpFromTheRunSummary() {
        startRun("r1", List.of("a"), 1, 2_000);
        harness.report(
                "r1", produced("a", "w1", Phase.WARMUP, 0, START, START + 1_000, 9_000, histogram(90_000), false));
        harness.report(
                "r1",
                produced("a", "w1", Phase.WARMUP, 1, START + 1_000, START + 2_000, 9_000, histogram(80_000), false));
        Histogram measured1 = range(100, 199);
        Histogram measured2 = range(200, 299);
        harness.report(
                "r1", produced("a", "w1", Phase.MEASURE, 2, START + 2_000, START + 3_000, 500, measured1, false));
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 3, START + 3_000, START + 4_000, 700, measured2, true));

        RunSummary summary = harness.runSummaries(harness.results()).get(0);
        List<WindowSummary> windows = harness.windows();

        assertEquals(1_200, summary.messagesSent());
        assertEquals(START + 2_000, summary.measureStart());
        assertEquals(START + 4_000, summary.measureEnd());
        assertEquals(600, summary.rates().publishRate(), 1e-9);
        Histogram expected = HistogramCodec.newHistogram();
        expected.add(measured1);
        expected.add(measured2);
        assertEquals(HistogramCodec.stats(expected), summary.latencies().get(LatencyKind.PUBLISH_LATENCY));
        assertEquals(4, windows.size(), "warm-up windows are still published");
        assertEquals(
                List.of(Phase.WARMUP, Phase.WARMUP, Phase.MEASURE, Phase.MEASURE),
                windows.stream().map(WindowSummary::phase).toList());
        assertEquals(2, summary.windows().size(), "the summary holds the measured windows only");
        assertTrue(summary.windows().stream().allMatch(w -> w.phase() == Phase.MEASURE));
    }

    @Test
    void backlogCountsEverySubscription() {
        startRun("r1", List.of("p", "c1", "c2"), 2, 0);
        for (int i = 0; i < 3; i++) {
            long from = START + i * 1_000L;
            boolean last = i == 2;
            harness.report("r1", produced("p", "w1", Phase.MEASURE, i, from, from + 1_000, 100, histogram(10), last));
            harness.report("r1", consumed("c1", "w1", Phase.MEASURE, i, from, from + 1_000, 100, last));
            harness.report("r1", consumed("c2", "w2", Phase.MEASURE, i, from, from + 1_000, 50, last));
        }

        List<WindowSummary> windows = harness.windows();
        RunSummary summary = harness.runSummaries(harness.results()).get(0);

        // sent × subscriptions − received, cumulative: 200−150, 400−300, 600−450
        assertEquals(
                List.of(50L, 100L, 150L),
                windows.stream().map(WindowSummary::backlog).toList());
        assertEquals(
                List.of(false, false, true),
                windows.stream().map(WindowSummary::last).toList());
        assertEquals(150, summary.backlog());
        assertEquals(450, summary.messagesReceived());
        assertEquals(150, windows.get(0).rates().consumeRate(), 1e-9);
        assertEquals(3, windows.get(0).agentsReporting());
    }

    @Test
    void endsIncompleteAtTheDeadlineNamingTheMissingAgent() {
        startRun("r1", List.of("a", "b"), 1, 0);
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), true));
        harness.report("r1", produced("b", "w1", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), false));
        harness.advance(Duration.ofSeconds(5));
        assertTrue(harness.runSummaries(harness.results()).isEmpty(), "no summary before the deadline");

        // deadline is START + 10 s = T0 + 11 s; the run grace is 5 s.
        harness.advance(Duration.ofSeconds(12));

        List<RunSummary> summaries = harness.runSummaries(harness.results());
        assertEquals(1, summaries.size());
        assertEquals(RunStatus.INCOMPLETE, summaries.get(0).status());
        assertEquals(List.of("b"), summaries.get(0).missingAgents());
        assertEquals(200, summaries.get(0).messagesSent());
        assertEquals(
                1.0,
                harness.metrics
                        .registry()
                        .get(AggregatorMeters.RUNS_FINISHED)
                        .tag("status", "incomplete")
                        .counter()
                        .count());
    }

    /** The summary waits for every agent's last report, then for nothing: no grace, no punctuation, no clock. */
    @Test
    void summarizesInTheStepOfTheLastAgentsLastReportAndNeverBefore() {
        startRun("r1", List.of("a", "b"), 1, 0, 1_000);
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), true));
        harness.advance(Duration.ofSeconds(9)); // past the measurement and the window grace, before the deadline
        assertTrue(harness.runSummaries(harness.results()).isEmpty(), "b has not sent its last report");

        harness.report("r1", produced("b", "w2", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), true));

        List<RunSummary> summaries = harness.runSummaries(harness.results());
        assertEquals(1, summaries.size(), "no clock advanced since b's last report");
        assertEquals(RunStatus.COMPLETE, summaries.get(0).status());
        assertEquals(List.of(), summaries.get(0).missingAgents());
    }

    @Test
    void endsInterruptedAfterAStopRun() {
        startRun("r1", List.of("a", "b"), 1, 0);
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), true));
        harness.control("r1", new StopRun(StopRun.Reason.INTERRUPTED, "operator pressed Ctrl-C"));
        harness.advance(Duration.ofSeconds(6));

        RunSummary summary = harness.runSummaries(harness.results()).get(0);
        assertEquals(RunStatus.INTERRUPTED, summary.status());
        assertEquals(List.of("b"), summary.missingAgents());
    }

    @Test
    void closesWindowsByWallClockWhileTheRunGoesOn() {
        startRun("r1", List.of("a", "b"), 1, 0);
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), false));
        assertTrue(harness.windows().isEmpty());

        harness.advance(Duration.ofSeconds(4)); // window end T0+2 s, grace 2 s

        List<WindowSummary> windows = harness.windows();
        assertEquals(1, windows.size());
        assertEquals(START, windows.get(0).windowStart());
        assertEquals(100, windows.get(0).rates().publishRate(), 1e-9);
        assertEquals(1, harness.metrics.liveRuns(), "the live gauges follow the run");
    }

    @Test
    void countsARedeliveredReportOnce() {
        startRun("r1", List.of("a"), 1, 0);
        var first = produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), false);
        harness.report("r1", first);
        harness.report("r1", first);
        harness.report(
                "r1", produced("a", "w1", Phase.MEASURE, 1, START + 1_000, START + 2_000, 100, histogram(10), true));

        assertEquals(200, harness.runSummaries(harness.results()).get(0).messagesSent());
        assertEquals(1.0, harness.metrics.skipped("duplicate"));
    }

    @Test
    void waitsForControlRecordsThatArriveAfterReports() {
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), true));
        assertTrue(harness.results().isEmpty());

        startRun("r1", List.of("a"), 1, 0);

        assertEquals(100, harness.runSummaries(harness.results()).get(0).messagesSent());
    }

    @Test
    void skipsAndCountsRecordsItCannotRead() {
        harness.metricsIn.pipeInput("r1", "not json at all".getBytes(StandardCharsets.UTF_8));
        harness.controlIn.pipeInput("r1", """
                {"v":1,"type":"FutureThing","id":"x","runId":"r1","sentAt":1,"body":{}}""".getBytes(StandardCharsets.UTF_8));
        harness.metricsIn.pipeInput("r1", """
                {"v":99,"type":"StatsReport","id":"y","runId":"r1","sentAt":1,"body":{}}""".getBytes(StandardCharsets.UTF_8));
        harness.metricsIn.pipeInput("r1", (byte[]) null);

        assertEquals(2.0, harness.metrics.skipped("corrupt"), "garbage and a tombstone");
        assertEquals(1.0, harness.metrics.skipped("unknown_type"));
        assertEquals(1.0, harness.metrics.skipped("newer_version"));

        startRun("r1", List.of("a"), 1, 0, 1_000);
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), true));
        assertEquals(
                RunStatus.COMPLETE,
                harness.runSummaries(harness.results()).get(0).status());
    }

    @Test
    void ignoresReportsOfAFinishedRun() {
        startRun("r1", List.of("a"), 1, 0);
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), true));
        harness.report(
                "r1", produced("a", "w1", Phase.MEASURE, 1, START + 1_000, START + 2_000, 100, histogram(10), true));

        List<Message> results = harness.results();
        assertEquals(1, results.size(), "one summary per run");
        assertEquals(1.0, harness.metrics.skipped("run_finished"));
    }

    @Test
    void publishesSweepFiguresFromTheRunSummaries() {
        runSweepPoint("small", 1.0, 1_000, range(100, 199));
        runSweepPoint("large", 4.0, 3_000, range(150, 299));

        List<Message> results = harness.results();
        List<RunSummary> runs = harness.runSummaries(results);
        List<SweepSummary> sweeps = harness.sweepSummaries(results);

        assertEquals(2, sweeps.size(), "one update per run of the sweep");
        SweepSummary last = sweeps.get(1);
        assertEquals(
                List.of("small", "large"),
                last.points().stream().map(SweepSummary.Point::runId).toList());
        RunSummary small = runs.get(0);
        RunSummary large = runs.get(1);
        double t1 = small.rates().publishRate();
        double tn = large.rates().publishRate();
        double p1 = small.latencies().get(LatencyKind.PUBLISH_LATENCY).p99();
        double pn = large.latencies().get(LatencyKind.PUBLISH_LATENCY).p99();
        SweepSummary.Point point = last.points().get(1);
        assertEquals((tn / t1) / 4.0, point.throughputEfficiency(), 1e-12);
        assertEquals((pn - p1) / p1, point.latencyGrowth(), 1e-12);
        assertEquals(tn / large.cpuPercent(), point.msgPerCpuPercent(), 1e-12);
        assertEquals(1.0, last.points().get(0).throughputEfficiency(), 1e-12);
    }

    @Test
    void aRunCutShortIsNoSweepPoint() {
        runSweepPoint("small", 1.0, 1_000, range(100, 199));
        // the second point's agent dies half-way: its last report says so and covers half the measurement
        harness.control("cut", spec(List.of("a"), 1, 1, "sweep-1", 4.0));
        harness.control("cut", new StartRun(START, 0, 1_000, START + 10_000));
        harness.report(
                "cut",
                withStop(
                        produced("a", "w1", Phase.MEASURE, 0, START, START + 500, 1_500, range(150, 299), true),
                        AgentStop.DAEMON_GONE,
                        "stdin closed"));

        List<Message> results = harness.results();
        assertEquals(RunStatus.INCOMPLETE, harness.runSummaries(results).get(1).status());
        List<SweepSummary> sweeps = harness.sweepSummaries(results);
        assertEquals(1, sweeps.size(), "only the complete run updated the sweep");
        assertEquals(
                List.of("small"),
                sweeps.get(0).points().stream().map(SweepSummary.Point::runId).toList());
    }

    private void runSweepPoint(String runId, double scale, long sent, Histogram publish) {
        harness.control(runId, spec(List.of("a"), 1, 1, "sweep-1", scale));
        harness.control(runId, new StartRun(START, 0, 1_000, START + 10_000));
        harness.report(runId, produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, sent, publish, true));
    }

    @Test
    void envelopesOfOutputsCarryTheRunId() {
        startRun("r1", List.of("a"), 1, 0);
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), true));
        var record = harness.resultsOut.readRecord();
        assertEquals("r1", record.key());
        Envelope envelope = ((io.kbench.protocol.Decoded.Ok) harness.codec.decode(record.value())).envelope();
        assertEquals("r1", envelope.runId());
        assertEquals("RunSummary", envelope.type());
    }

    @Test
    void tellsTheControllerOnceWhenAnAgentEndsAbnormallyBeforeTheScheduleEnds() {
        startRun("r1", List.of("a", "b"), 1, 0);
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 100, histogram(10), false));
        StatsReport gone = withStop(
                produced("b", "w2", Phase.MEASURE, 0, START, START + 1_500, 150, histogram(10), true),
                AgentStop.DAEMON_GONE,
                "stdin closed");
        harness.report("r1", gone);
        harness.report("r1", gone);

        var events = harness.eventsOut.readRecordsToList();

        assertEquals(1, events.size(), events.toString());
        assertEquals("r1", events.get(0).key(), "keyed by run id, as the controller reads it");
        io.kbench.protocol.Decoded.Ok decoded = (io.kbench.protocol.Decoded.Ok)
                harness.codec.decode(events.get(0).value());
        assertEquals("r1", decoded.envelope().runId());
        assertEquals(
                new AgentFailed("w2", List.of("b"), -1, "DAEMON_GONE: stdin closed", List.of()), decoded.message());
        assertTrue(harness.windows().isEmpty() && harness.results().isEmpty(), "the AgentFailed goes to events only");
    }

    @Test
    void doesNotTellTheControllerOfNormalEnds() {
        startRun("r1", List.of("a", "b"), 1, 0);
        for (int i = 0; i < 4; i++) {
            long from = START + i * 1_000L;
            harness.report("r1", produced("a", "w1", Phase.MEASURE, i, from, from + 1_000, 100, histogram(10), i == 3));
        }
        harness.report(
                "r1",
                withStop(
                        produced("b", "w2", Phase.MEASURE, 0, START, START + 4_000, 400, histogram(10), true),
                        AgentStop.RUN_STOPPED,
                        "COMPLETED: run summary received"));

        assertTrue(harness.events().isEmpty());
        RunSummary summary = harness.runSummaries(harness.results()).get(0);
        assertEquals(RunStatus.COMPLETE, summary.status());
    }

    @Test
    void endsAtOnceWhenEveryAgentEndedEvenAbnormallyAndSaysWhy() {
        startRun("r1", List.of("a", "b"), 1, 0);
        harness.report(
                "r1",
                withStop(
                        produced("a", "w1", Phase.MEASURE, 0, START, START + 2_500, 250, histogram(10), true),
                        AgentStop.SIGNAL,
                        "SIGTERM"));
        harness.report(
                "r1",
                withStop(
                        produced("b", "w2", Phase.MEASURE, 0, START, START + 2_500, 250, histogram(10), true),
                        AgentStop.RUN_STOPPED,
                        "ABORTED: agent a on w1 failed"));

        RunSummary summary = harness.runSummaries(harness.results()).get(0);

        assertEquals(RunStatus.INCOMPLETE, summary.status());
        assertEquals(
                "stopped by StopRun ABORTED (as the agents report it); "
                        + "agent a on worker w1: SIGNAL (SIGTERM), measured 2.5 s of 4 s; "
                        + "agent b on worker w2: RUN_STOPPED (ABORTED: agent a on w1 failed), measured 2.5 s of 4 s",
                summary.statusReason());
        assertEquals(START + 2_500, summary.measureEnd());
        assertEquals(200, summary.rates().publishRate(), 1e-9);
    }

    private static StatsReport withStop(StatsReport r, AgentStop stop, String detail) {
        return Fixtures.with(r, stop, detail, r.sentOutsidePhase());
    }
}
