package io.kbench.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StartRun;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RunPhasesTest {

    @Test
    void phasesFollowTheScheduleAndBacklogOverridesMeasure() {
        RunPhases phases = new RunPhases(100_000);
        assertEquals(Phase.READY, phases.phaseAt(5_000));
        assertEquals(100_000, phases.stopAt(), "before StartRun only the launch deadline stops the agent");

        assertTrue(phases.start(RunSchedule.of(new StartRun(10_000, 2_000, 5_000, 0), 100_000)));

        assertEquals(Phase.READY, phases.phaseAt(9_999));
        assertEquals(Phase.WARMUP, phases.phaseAt(10_000));
        assertEquals(Phase.MEASURE, phases.phaseAt(12_000));
        assertEquals(17_000, phases.stopAt());
        assertEquals(10_000, phases.nextBoundaryAfter(9_000));
        assertEquals(12_000, phases.nextBoundaryAfter(10_500));
        phases.backlogPhase(Phase.BACKLOG_BUILD);
        assertEquals(Phase.BACKLOG_BUILD, phases.phaseAt(13_000));
        assertEquals(Phase.WARMUP, phases.phaseAt(11_000), "backlog phases do not replace warm-up");
    }

    @Test
    void theStopIsABoundaryAndTheGridIsAlignedToTheMeasurementStart() {
        RunPhases phases = new RunPhases(100_000);
        assertEquals(OptionalLong.empty(), phases.gridOriginMs(), "no grid before StartRun: the cadence runs free");
        assertEquals(Long.MAX_VALUE, phases.nextBoundaryAfter(5_000));

        phases.start(RunSchedule.of(new StartRun(10_000, 2_000, 5_000, 0), 100_000));

        assertEquals(OptionalLong.of(12_000), phases.gridOriginMs());
        assertEquals(17_000, phases.nextBoundaryAfter(12_000), "the report up to the stop is cut at the stop");
        assertEquals(17_000, phases.nextBoundaryAfter(16_999));
        assertEquals(Long.MAX_VALUE, phases.nextBoundaryAfter(17_000));
    }

    @Test
    void anOpenEndedMeasurementHasTheDeadlineAsItsLastBoundary() {
        RunPhases phases = new RunPhases(100_000);
        phases.start(RunSchedule.of(new StartRun(10_000, 0, 0, 0), 100_000));

        assertEquals(100_000, phases.nextBoundaryAfter(50_000));
    }

    @Test
    void theStopIsTheScheduleEndUnlessTheDeadlineComesFirst() {
        assertEquals(
                AgentStop.DEADLINE, new RunPhases(100_000).stopAtCause().kind(), "no StartRun: the deadline stops");

        RunPhases scheduled = new RunPhases(100_000);
        scheduled.start(RunSchedule.of(new StartRun(10_000, 2_000, 5_000, 0), 100_000));
        assertEquals(AgentStop.SCHEDULE_END, scheduled.stopAtCause().kind());

        RunPhases cutShort = new RunPhases(100_000);
        cutShort.start(RunSchedule.of(new StartRun(10_000, 2_000, 5_000, 15_000), 100_000));
        assertEquals(AgentStop.DEADLINE, cutShort.stopAtCause().kind());

        RunPhases justInTime = new RunPhases(100_000);
        justInTime.start(RunSchedule.of(new StartRun(10_000, 2_000, 5_000, 17_000), 100_000));
        assertEquals(AgentStop.SCHEDULE_END, justInTime.stopAtCause().kind(), "measured in full, at the deadline");

        RunPhases openEnded = new RunPhases(100_000);
        openEnded.start(RunSchedule.of(new StartRun(10_000, 2_000, 0, 0), 100_000));
        assertEquals(AgentStop.DEADLINE, openEnded.stopAtCause().kind(), "no StopRun came before the deadline");
    }

    @Test
    void theEarlierDeadlineWinsAndARepeatedStartIsIgnored() {
        RunPhases phases = new RunPhases(50_000);
        assertTrue(phases.start(RunSchedule.of(new StartRun(10_000, 0, 60_000, 80_000), 50_000)));
        assertFalse(phases.start(RunSchedule.of(new StartRun(20_000, 0, 1_000, 0), 50_000)));

        assertEquals(50_000, phases.stopAt());
        assertEquals(50_000, phases.deadlineAt());
        assertEquals(Phase.MEASURE, phases.phaseAt(10_000));
    }

    @Test
    void aStartRunDeadlineBeforeTheLaunchsStopsEarlier() {
        RunSchedule schedule = RunSchedule.of(new StartRun(10_000, 1_000, 0, 30_000), 50_000);

        assertEquals(30_000, schedule.stopAt(), "measureMs 0: measure until the deadline");
        assertEquals(30_000, schedule.deadlineAt());
    }
}
