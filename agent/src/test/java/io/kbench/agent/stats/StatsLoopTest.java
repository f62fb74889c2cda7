package io.kbench.agent.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.agent.run.RunPhases;
import io.kbench.agent.run.RunSchedule;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.StopRun;
import io.kbench.testing.TestClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatsLoopTest {

    private static final long LAUNCH_DEADLINE = 100_000;
    private static final long INTERVAL = 1_000;

    /** WARMUP from 0 to 2,500 ms, then MEASURE; no schedule, so no grid: the cadence runs free. */
    private static final StatsLoop.PhaseSource PHASES = new StatsLoop.PhaseSource() {
        @Override
        public Phase phaseAt(long epochMs) {
            return epochMs < 2_500 ? Phase.WARMUP : Phase.MEASURE;
        }

        @Override
        public long nextBoundaryAfter(long epochMs) {
            return epochMs < 2_500 ? 2_500 : Long.MAX_VALUE;
        }

        @Override
        public OptionalLong gridOriginMs() {
            return OptionalLong.empty();
        }

        @Override
        public long stopAt() {
            return LAUNCH_DEADLINE;
        }
    };

    @Test
    void withoutAScheduleCutsEveryIntervalAndAtEveryPhaseChangeSoNoReportMixesPhases() {
        List<StatsReport> sent = new ArrayList<>();
        IntervalCutter cutter = new IntervalCutter(
                "p0", "w1", new AgentStats(AgentRole.PRODUCER), new CpuMeter(), 1, 1_000, 0, Phase.WARMUP);
        StatsLoop loop = new StatsLoop(List.of(cutter), PHASES, sent::add, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

        assertEquals(1_000, loop.tick(0));
        assertEquals(2_000, loop.tick(1_000));
        assertEquals(2_500, loop.tick(2_000));
        assertEquals(3_500, loop.tick(2_500)); // the boundary: WARMUP's last bit, cadence restarts
        assertEquals(4_500, loop.tick(3_500));

        assertEquals(List.of(Phase.WARMUP, Phase.WARMUP, Phase.WARMUP, Phase.MEASURE), phases(sent));
        assertEquals(2_000, sent.get(2).intervalStartMs());
        assertEquals(2_500, sent.get(2).intervalEndMs());
        assertEquals(2_500, sent.get(3).intervalStartMs());
    }

    /**
     * The loop starts at 137 ms with no schedule; a StartRun arrives at 400 ms. Every tick comes 0–30 ms late. The
     * reports must then be cut exactly on the grid measureAt + k * 1,000 and at startAt, measureAt and stopAt, each
     * labelled with the instant it stands for, and never span a phase change or the stop.
     */
    @ParameterizedTest(name = "warmup={0} measure={1} seed={2}")
    @CsvSource({
        "2000, 5000, 1",
        "2000, 5000, 2",
        "2000, 5000, 3",
        // startAt is not on the grid (which is aligned to measureAt, not to startAt)
        "2500, 5000, 4",
        "2500, 5000, 5",
        // stopAt is not on the grid
        "2000, 5300, 6",
        "2000, 5300, 7",
    })
    void reportsAreCutOnTheGridAlignedToTheMeasurementStartWhateverTheTicksLateness(
            long warmupMs, long measureMs, long seed) {
        Random random = new Random(seed);
        TestClock clock = new TestClock(137);
        RunPhases phases = new RunPhases(LAUNCH_DEADLINE);
        List<StatsReport> sent = new ArrayList<>();
        List<Long> cutAt = new ArrayList<>();
        List<Long> lateness = new ArrayList<>();
        long[] currentLateness = {0};
        IntervalCutter cutter = new IntervalCutter(
                "p0", "w1", new AgentStats(AgentRole.PRODUCER), new CpuMeter(), 1, INTERVAL, 137, Phase.READY);
        StatsLoop loop = new StatsLoop(
                List.of(cutter),
                phases,
                report -> {
                    sent.add(report);
                    cutAt.add(clock.millis());
                    lateness.add(currentLateness[0]);
                },
                clock);
        RunSchedule schedule = RunSchedule.of(new StartRun(1_000, warmupMs, measureMs, 0), LAUNCH_DEADLINE);
        long startRunArrivesAt = 400;

        long wakeAt = loop.tick(clock.millis());
        int reportsBeforeSchedule = -1;
        while (wakeAt <= schedule.stopAt()) {
            long late = random.nextInt(31);
            if (reportsBeforeSchedule < 0 && wakeAt >= startRunArrivesAt) {
                // The StartRun arrives; Commands wakes the loop, which ticks (late, like any tick).
                reportsBeforeSchedule = sent.size();
                phases.start(schedule);
                wakeAt = startRunArrivesAt;
            }
            currentLateness[0] = late;
            clock.set(wakeAt + late);
            wakeAt = loop.tick(clock.millis());
            assertTrue(wakeAt > clock.millis(), "the loop asks to wake in the future, got " + wakeAt);
        }
        assertEquals(Long.MAX_VALUE, wakeAt, "no regular cut after the stop: the rest goes in the last report");
        // The producers stop at stopAt; the host cuts the last report once they have closed.
        clock.set(schedule.stopAt() + 350);
        loop.finish(StopCause.scheduleEnd(schedule.stopAt()));

        assertEquals(0, reportsBeforeSchedule, "no free-running cut before 400 ms: " + describe(sent));
        assertEquals(137, sent.get(0).intervalStartMs());
        for (int i = 1; i < sent.size(); i++) {
            assertEquals(sent.get(i - 1).intervalEndMs(), sent.get(i).intervalStartMs(), "reports tile time");
        }
        for (StatsReport report : sent) {
            assertTrue(report.intervalEndMs() >= report.intervalStartMs(), describe(List.of(report)));
        }

        TreeSet<Long> expectedEnds =
                new TreeSet<>(List.of(schedule.startAt(), schedule.measureAt(), schedule.stopAt()));
        for (long g = schedule.measureAt() - 10 * INTERVAL; g <= schedule.stopAt(); g += INTERVAL) {
            if (g > startRunArrivesAt) {
                expectedEnds.add(g);
            }
        }
        List<StatsReport> scheduled = sent.subList(0, sent.size() - 1);
        assertEquals(
                List.copyOf(expectedEnds),
                scheduled.stream().map(StatsReport::intervalEndMs).toList(),
                "every grid point and boundary, in order, and nothing else");
        for (int i = 0; i < scheduled.size(); i++) {
            StatsReport report = scheduled.get(i);
            long late = cutAt.get(i) - report.intervalEndMs();
            assertTrue(
                    late >= 0 && late == lateness.get(i),
                    "report ending " + report.intervalEndMs() + " cut at " + cutAt.get(i) + ", tick late by "
                            + lateness.get(i));
            for (long boundary : List.of(schedule.startAt(), schedule.measureAt(), schedule.stopAt())) {
                assertFalse(
                        report.intervalStartMs() < boundary && report.intervalEndMs() > boundary,
                        "spans " + boundary + ": " + describe(List.of(report)));
            }
            Phase expected = report.intervalEndMs() <= schedule.startAt()
                    ? Phase.READY
                    : report.intervalEndMs() <= schedule.measureAt() ? Phase.WARMUP : Phase.MEASURE;
            assertEquals(expected, report.phase(), describe(List.of(report)));
            assertFalse(report.last());
            assertNull(report.stop());
        }
        for (StatsReport report : scheduled.subList(1, scheduled.size())) {
            boolean onGrid = Math.floorMod(report.intervalStartMs() - schedule.measureAt(), INTERVAL) == 0;
            assertTrue(
                    onGrid || report.intervalStartMs() == schedule.startAt(),
                    "starts on the grid or at startAt: " + describe(List.of(report)));
        }

        StatsReport last = sent.get(sent.size() - 1);
        assertTrue(last.last());
        assertEquals(schedule.stopAt(), last.intervalStartMs(), "the acks after stopAt go in the last report");
        assertEquals(schedule.stopAt() + 350, last.intervalEndMs());
        assertEquals(AgentStop.SCHEDULE_END, last.stop());
    }

    @Test
    void aStallAcrossTheMeasurementStartEndsTheWarmUpReportThereAndThenResumesOnTheGrid() {
        RunPhases phases = new RunPhases(LAUNCH_DEADLINE);
        phases.start(RunSchedule.of(new StartRun(1_000, 2_000, 5_000, 0), LAUNCH_DEADLINE));
        List<StatsReport> sent = new ArrayList<>();
        IntervalCutter cutter = new IntervalCutter(
                "p0", "w1", new AgentStats(AgentRole.PRODUCER), new CpuMeter(), 1, INTERVAL, 1_000, Phase.WARMUP);
        StatsLoop loop = new StatsLoop(List.of(cutter), phases, sent::add, new TestClock(0));

        assertEquals(2_000, loop.tick(1_000));
        assertEquals(3_000, loop.tick(2_000));
        // A 1.5 s pause (GC, a frozen VM) carries the clock past measureAt and the grid point after it.
        assertEquals(5_000, loop.tick(4_500));
        assertEquals(6_000, loop.tick(5_000));

        assertEquals(List.of(2_000L, 3_000L, 5_000L), ends(sent));
        assertEquals(List.of(Phase.WARMUP, Phase.WARMUP, Phase.MEASURE), phases(sent));
        assertEquals(
                3_000,
                sent.get(2).intervalStartMs(),
                "the stalled measurement report says how long it is: two intervals, not one with double counts");
    }

    @Test
    void aBacklogPhaseChangeIsCutWhenSeenAndTheNextCutIsBackOnTheGrid() {
        RunPhases phases = new RunPhases(LAUNCH_DEADLINE);
        phases.start(RunSchedule.of(new StartRun(1_000, 2_000, 0, 0), LAUNCH_DEADLINE));
        List<StatsReport> sent = new ArrayList<>();
        IntervalCutter cutter = new IntervalCutter(
                "c0", "w1", new AgentStats(AgentRole.CONSUMER), new CpuMeter(), 1, INTERVAL, 4_000, Phase.MEASURE);
        StatsLoop loop = new StatsLoop(List.of(cutter), phases, sent::add, new TestClock(0));

        assertEquals(5_000, loop.tick(4_000));
        phases.backlogPhase(Phase.BACKLOG_BUILD);
        assertEquals(5_000, loop.tick(4_417));
        assertEquals(6_000, loop.tick(5_004));

        assertEquals(List.of(4_417L, 5_000L), ends(sent));
        assertEquals(List.of(Phase.MEASURE, Phase.BACKLOG_BUILD), phases(sent));
    }

    @Test
    void aStopThatBeatsTheLoopToStopAtStillGetsTheCutAtStopAt() {
        RunPhases phases = new RunPhases(LAUNCH_DEADLINE);
        phases.start(RunSchedule.of(new StartRun(1_000, 2_000, 5_000, 0), LAUNCH_DEADLINE));
        List<StatsReport> sent = new ArrayList<>();
        IntervalCutter cutter = new IntervalCutter(
                "p0", "w1", new AgentStats(AgentRole.PRODUCER), new CpuMeter(), 1, INTERVAL, 6_000, Phase.MEASURE);
        TestClock clock = new TestClock(6_000);
        StatsLoop loop = new StatsLoop(List.of(cutter), phases, sent::add, clock);

        assertEquals(7_000, loop.tick(6_000));
        assertEquals(8_000, loop.tick(7_010));
        // The loop thread is slow to wake at 8,000 (stopAt); the host's stop, woken at the same instant, comes first.
        clock.set(8_120);
        loop.finish(StopCause.scheduleEnd(8_000));

        assertEquals(List.of(7_000L, 8_000L, 8_120L), ends(sent));
        assertEquals(
                List.of(false, false, true),
                sent.stream().map(StatsReport::last).toList());
    }

    @Test
    void finishSendsALastReportPerAgentSayingWhyItStopped() {
        List<StatsReport> sent = new ArrayList<>();
        List<IntervalCutter> cutters = List.of(
                new IntervalCutter(
                        "p0", "w1", new AgentStats(AgentRole.PRODUCER), new CpuMeter(), 2, 1_000, 0, Phase.MEASURE),
                new IntervalCutter(
                        "c0", "w1", new AgentStats(AgentRole.CONSUMER), new CpuMeter(), 2, 1_000, 0, Phase.MEASURE));
        StatsLoop loop =
                new StatsLoop(cutters, PHASES, sent::add, Clock.fixed(Instant.ofEpochMilli(3_000), ZoneOffset.UTC));

        loop.finish(StopCause.runStopped(new StopRun(StopRun.Reason.COMPLETED, "run summary received")));
        loop.finish(StopCause.signal("late"));

        assertEquals(2, sent.size(), "finish is idempotent");
        assertEquals(List.of(true, true), sent.stream().map(StatsReport::last).toList());
        for (StatsReport report : sent) {
            assertEquals(AgentStop.RUN_STOPPED, report.stop());
            assertEquals("COMPLETED: run summary received", report.stopDetail());
        }
    }

    @Test
    void aClockSteppingBackNeverMakesAReportEndBeforeItStarts() {
        List<StatsReport> sent = new ArrayList<>();
        IntervalCutter cutter = new IntervalCutter(
                "p0", "w1", new AgentStats(AgentRole.PRODUCER), new CpuMeter(), 1, 1_000, 3_000, Phase.MEASURE);
        TestClock clock = new TestClock(0);
        StatsLoop loop = new StatsLoop(List.of(cutter), PHASES, sent::add, clock);

        loop.tick(5_000);
        clock.set(4_990);
        loop.finish(StopCause.daemonGone("stdin closed"));

        StatsReport last = sent.get(sent.size() - 1);
        assertEquals(5_000, last.intervalStartMs());
        assertEquals(5_000, last.intervalEndMs());
        assertEquals(AgentStop.DAEMON_GONE, last.stop());
    }

    private static List<Phase> phases(List<StatsReport> reports) {
        return reports.stream().map(StatsReport::phase).toList();
    }

    private static List<Long> ends(List<StatsReport> reports) {
        return reports.stream().map(StatsReport::intervalEndMs).toList();
    }

    private static String describe(List<StatsReport> reports) {
        return reports.stream()
                .map(r -> "[" + r.intervalStartMs() + ", " + r.intervalEndMs() + ") " + r.phase()
                        + (r.last() ? " LAST" : ""))
                .toList()
                .toString();
    }
}
