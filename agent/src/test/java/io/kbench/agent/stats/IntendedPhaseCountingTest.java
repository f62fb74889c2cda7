package io.kbench.agent.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StatsReport;
import org.junit.jupiter.api.Test;

/**
 * A producer counts a message in the phase of its intended send time: a warm-up message acknowledged after the
 * measurement began is not part of the measurement (it made the quick start read 4,019 msg/s for 4,000 asked), and
 * a measurement message acknowledged after the schedule's end is.
 */
class IntendedPhaseCountingTest {

    private static final long MEASURE_AT = 5_000_000_000L;

    @Test
    void warmUpMessagesAckedInTheMeasurementCountOnlyTowardTheBacklog() {
        AgentStats stats = new AgentStats(AgentRole.PRODUCER);
        stats.measureAt(MEASURE_AT);
        IntervalCutter cutter = new IntervalCutter("p0", "w1", stats, new CpuMeter(), 1, 1000, 0, Phase.WARMUP);

        stats.recordAck(100, MEASURE_AT - 2_000_000, MEASURE_AT - 1_000_000, MEASURE_AT - 500_000);
        StatsReport warmup = cutter.cut(5000, 5000);
        assertEquals(1, warmup.messagesSent());
        assertEquals(0, warmup.sentOutsidePhase());

        cutter.phase(Phase.MEASURE);
        // in flight across the boundary: intended (and sent) in the warm-up, acknowledged in the measurement
        stats.recordAck(100, MEASURE_AT - 1_000_000, MEASURE_AT - 900_000, MEASURE_AT + 3_000_000);
        stats.recordAck(100, MEASURE_AT + 1_000_000, MEASURE_AT + 1_100_000, MEASURE_AT + 4_000_000);
        stats.recordAck(100, MEASURE_AT + 2_000_000, MEASURE_AT + 2_100_000, MEASURE_AT + 5_000_000);
        StatsReport measured = cutter.cut(6000, 6000);
        assertEquals(2, measured.messagesSent(), "only messages intended in the measurement");
        assertEquals(200, measured.bytesSent());
        assertEquals(1, measured.sentOutsidePhase(), "the warm-up message still counts for the backlog");

        // acknowledged after the schedule's end, intended before it: the last report still counts it
        stats.recordAck(100, MEASURE_AT + 3_000_000, MEASURE_AT + 3_100_000, MEASURE_AT + 9_000_000_000L);
        StatsReport last = cutter.cutLast(15_000, StopCause.scheduleEnd(15_000));
        assertEquals(1, last.messagesSent());
        assertEquals(0, last.sentOutsidePhase());
    }

    @Test
    void beforeAStartRunEverySendIsBeforeTheMeasurement() {
        AgentStats stats = new AgentStats(AgentRole.PRODUCER);
        IntervalCutter cutter = new IntervalCutter("p0", "w1", stats, new CpuMeter(), 1, 1000, 0, Phase.READY);
        stats.recordAck(10, 1, 2, 3);
        StatsReport ready = cutter.cut(1000, 1000);
        assertEquals(1, ready.messagesSent());
        assertEquals(0, ready.sentOutsidePhase());
    }
}
