package io.kbench.aggregator.run;

import static io.kbench.aggregator.Fixtures.produced;
import static io.kbench.aggregator.Fixtures.range;
import static io.kbench.aggregator.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.aggregator.Fixtures;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.WindowSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunAccumulatorTest {

    private static final long START = 1_000_000;

    private static StatsReport report(long seq, boolean last) {
        long from = START + seq * 1_000;
        return produced("a", "w1", Phase.MEASURE, seq, from, from + 1_000, 100 + seq, range(10 + seq, 500 + seq), last);
    }

    @Test
    void checkpointPlusReplayedLogEqualsTheUninterruptedState() {
        RunAccumulator uninterrupted = new RunAccumulator("r1", 0);
        RunAccumulator crashed = new RunAccumulator("r1", 0);
        uninterrupted.applySpec(spec(List.of("a"), 1, 1, null, null), 0);
        crashed.applySpec(spec(List.of("a"), 1, 1, null, null), 0);
        // Reports before StartRun wait, unfolded, in the log; the checkpoint already knows their seq.
        for (long seq = 0; seq < 2; seq++) {
            uninterrupted.apply("l" + seq, report(seq, false), 0);
            crashed.apply("l" + seq, report(seq, false), 0);
        }
        RunCheckpoint checkpoint = RunCheckpoints.read(RunCheckpoints.write(crashed.checkpoint()));

        RunAccumulator restored = RunAccumulator.restore(checkpoint);
        restored.replay("l0", report(0, false), 0);
        restored.replay("l1", report(1, false), 0);
        StartRun start = new StartRun(START, 0, 3_000, START + 60_000);
        uninterrupted.applyStart(start, 0);
        restored.applyStart(start, 0);
        uninterrupted.apply("l2", report(2, true), 0);
        restored.apply("l2", report(2, true), 0);

        RunSummary expected = uninterrupted.summarize(1, List.of());
        RunSummary actual = restored.summarize(1, List.of());
        assertEquals(303, expected.messagesSent());
        assertEquals(expected, actual);
        assertEquals(RunAccumulator.Outcome.DUPLICATE, restored.apply("l2", report(2, true), 0));
    }

    @Test
    void ratesAreOverTheWindowEvenWhenReportsAreNotAlignedToIt() {
        // Given one producer at exactly 1,000 msg/s whose 1 s reports end 300 ms into each 2 s window
        RunAccumulator run = new RunAccumulator("r1", 0);
        run.applySpec(spec(List.of("a"), 1, 2, null, null), 0);
        run.applyStart(new StartRun(START, 0, 10_000, START + 60_000), 0);
        for (long seq = 0; seq < 10; seq++) {
            long from = START + 300 + seq * 1_000;
            run.apply(
                    "l" + seq,
                    produced("a", "w1", Phase.MEASURE, seq, from, from + 1_000, 1_000, range(1, 10), seq == 9),
                    0);
        }

        // When the windows close
        List<WindowSummary> windows = new ArrayList<>(run.closeDueWindows(START + 60_000, Duration.ZERO));
        windows.addAll(run.closeAllWindows());

        // Then each window holds the two reports whose middle falls in it and reads 1,000 msg/s over its length; the
        // last report, ending past the measurement, belongs to the last window rather than forming a sixth
        assertEquals(5, windows.size(), windows.toString());
        for (WindowSummary window : windows) {
            assertEquals(2_000, window.windowEnd() - window.windowStart(), window.toString());
            assertEquals(1_000, window.rates().publishRate(), 1e-9, window.toString());
        }
    }

    @Test
    void sendsIntendedInTheWarmUpCountTowardTheBacklogButNotTheMeasuredRate() {
        // Given a producer whose first measured report carries 50 warm-up messages acknowledged after the start
        RunAccumulator run = new RunAccumulator("r1", 0);
        run.applySpec(spec(List.of("a", "c"), 1, 1, null, null), 0);
        run.applyStart(new StartRun(START, 0, 2_000, START + 60_000), 0);
        StatsReport first = produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 1_000, range(1, 10), false);
        run.apply("l0", withSentOutsidePhase(first, 50), 0);
        run.apply(
                "l1",
                produced("a", "w1", Phase.MEASURE, 1, START + 1_000, START + 2_000, 1_000, range(1, 10), true),
                0);
        run.apply("l2", Fixtures.consumed("c", "w1", Phase.MEASURE, 0, START, START + 2_000, 2_000, true), 0);

        RunSummary summary = run.summarize(1, List.of());

        // Then the measurement counts what was intended in it, and the backlog what was really sent
        assertEquals(2_000, summary.messagesSent());
        assertEquals(1_000, summary.rates().publishRate(), 1e-9);
        assertEquals(50, summary.backlog(), "the 50 late warm-up messages were sent and not yet consumed");
    }

    private static StatsReport withSentOutsidePhase(StatsReport r, long outside) {
        return Fixtures.with(r, r.stop(), r.stopDetail(), outside);
    }
}
