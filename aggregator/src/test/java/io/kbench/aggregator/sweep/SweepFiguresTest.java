package io.kbench.aggregator.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kbench.protocol.message.SweepSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepFiguresTest {

    @Test
    void figuresOfHandMadePointsFollowTheFormulas() {
        List<SweepFigures.Input> inputs = List.of(
                new SweepFigures.Input("r4", 4, 3_000, 3.0, 150, 400, 180),
                new SweepFigures.Input("r1", 1, 1_000, 1.0, 100, 300, 50),
                new SweepFigures.Input("r2", 2, 1_900, 1.9, 110, 320, 95));

        SweepSummary sweep = SweepFigures.compute("s", inputs);

        assertEquals(
                List.of("r1", "r2", "r4"),
                sweep.points().stream().map(SweepSummary.Point::runId).toList());
        SweepSummary.Point base = sweep.points().get(0);
        assertEquals(1.0, base.throughputEfficiency());
        assertEquals(0.0, base.latencyGrowth());
        assertEquals(20.0, base.msgPerCpuPercent());
        SweepSummary.Point two = sweep.points().get(1);
        assertEquals((1_900.0 / 1_000) / 2, two.throughputEfficiency(), 1e-12);
        assertEquals((110.0 - 100) / 100, two.latencyGrowth(), 1e-12);
        SweepSummary.Point four = sweep.points().get(2);
        assertEquals(0.75, four.throughputEfficiency(), 1e-12);
        assertEquals(0.5, four.latencyGrowth(), 1e-12);
        assertEquals(3_000.0 / 180, four.msgPerCpuPercent(), 1e-12);
    }

    @Test
    void zeroDenominatorsGiveZeroNotNaN() {
        SweepSummary sweep = SweepFigures.compute(
                "s",
                List.of(
                        new SweepFigures.Input("r1", 1, 0, 0, 0, 0, 0),
                        new SweepFigures.Input("r2", 2, 10, 0, 5, 0, 0)));
        SweepSummary.Point point = sweep.points().get(1);
        assertEquals(0.0, point.throughputEfficiency());
        assertEquals(0.0, point.latencyGrowth());
        assertEquals(0.0, point.msgPerCpuPercent());
    }

    @Test
    void aRepeatedRunReplacesItsPoint() {
        SweepState state = new SweepState("s", null)
                .with(new SweepFigures.Input("r1", 1, 100, 0, 0, 0, 0))
                .with(new SweepFigures.Input("r1", 1, 200, 0, 0, 0, 0));
        assertEquals(1, state.inputs().size());
        assertEquals(200, state.inputs().get(0).throughput());
    }

    @Test
    void rejectsANonPositiveScale() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SweepFigures.Input("r1", 0, 1, 1, 1, 1, 1));
        assertEquals("scale of run r1 must be > 0, got 0.0", e.getMessage());
    }
}
