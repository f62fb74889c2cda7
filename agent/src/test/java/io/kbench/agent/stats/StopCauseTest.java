package io.kbench.agent.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.StopRun;
import org.junit.jupiter.api.Test;

class StopCauseTest {

    @Test
    void aStopRunGivesItsReasonNameAndDetail() {
        StopCause completed = StopCause.runStopped(new StopRun(StopRun.Reason.COMPLETED, "run summary received"));
        StopCause aborted = StopCause.runStopped(new StopRun(StopRun.Reason.ABORTED, null));

        assertEquals(AgentStop.RUN_STOPPED, completed.kind());
        assertEquals("COMPLETED: run summary received", completed.detail());
        assertEquals("ABORTED", aborted.detail());
        assertEquals(
                "no reason given", StopCause.runStopped(new StopRun(null, null)).detail());
    }

    @Test
    void aCauseAlwaysHasAKind() {
        assertThrows(NullPointerException.class, () -> new StopCause(null, "x"));
    }
}
