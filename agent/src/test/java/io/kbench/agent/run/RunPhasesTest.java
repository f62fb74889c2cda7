package io.kbench.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StartRun;
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
