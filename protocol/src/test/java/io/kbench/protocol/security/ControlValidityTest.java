package io.kbench.protocol.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.StopRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlValidityTest {

    private static final long NOW = 1_800_000_000_000L;

    private static RunAssignment assignmentUntil(long deadlineAt) {
        return new RunAssignment("a-1", "w-1", List.of(), 1, List.of(), deadlineAt);
    }

    @Test
    void anAssignmentLivesUntilItsDeadlineAtMostTheDefault() {
        assertEquals(Duration.ofMinutes(3), ControlValidity.of(assignmentUntil(NOW + 180_000), NOW));
        assertEquals(ControlValidity.DEFAULT, ControlValidity.of(assignmentUntil(NOW + 86_400_000), NOW));
        assertEquals(ControlValidity.MINIMUM, ControlValidity.of(assignmentUntil(NOW - 1), NOW));
    }

    @Test
    void otherRecordsGetTheDefaultWhichReadersAccept() {
        assertEquals(ControlValidity.DEFAULT, ControlValidity.of(new StopRun(StopRun.Reason.OPERATOR, null), NOW));
        assertTrue(ControlValidity.DEFAULT.compareTo(SignatureVerifier.MAX_TTL) <= 0);
    }
}
