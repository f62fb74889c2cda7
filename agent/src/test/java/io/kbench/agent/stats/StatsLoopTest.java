package io.kbench.agent.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StatsReport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsLoopTest {

    /** WARMUP from 0 to 2,500 ms, then MEASURE. */
    private static final StatsLoop.PhaseSource PHASES = new StatsLoop.PhaseSource() {
        @Override
        public Phase phaseAt(long epochMs) {
            return epochMs < 2_500 ? Phase.WARMUP : Phase.MEASURE;
        }

        @Override
        public long nextBoundaryAfter(long epochMs) {
            return epochMs < 2_500 ? 2_500 : Long.MAX_VALUE;
        }
    };

    @Test
    void cutsEveryIntervalAndAtEveryPhaseChangeSoNoReportMixesPhases() {
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

    @Test
    void finishSendsALastReportPerAgent() {
        List<StatsReport> sent = new ArrayList<>();
        List<IntervalCutter> cutters = List.of(
                new IntervalCutter(
                        "p0", "w1", new AgentStats(AgentRole.PRODUCER), new CpuMeter(), 2, 1_000, 0, Phase.MEASURE),
                new IntervalCutter(
                        "c0", "w1", new AgentStats(AgentRole.CONSUMER), new CpuMeter(), 2, 1_000, 0, Phase.MEASURE));
        StatsLoop loop =
                new StatsLoop(cutters, PHASES, sent::add, Clock.fixed(Instant.ofEpochMilli(3_000), ZoneOffset.UTC));

        loop.finish();
        loop.finish();

        assertEquals(2, sent.size());
        assertEquals(List.of(true, true), sent.stream().map(StatsReport::last).toList());
    }

    private static List<Phase> phases(List<StatsReport> reports) {
        return reports.stream().map(StatsReport::phase).toList();
    }
}
