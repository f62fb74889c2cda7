package io.kbench.worker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.AssignmentRejected.Reason;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.worker.testing.Tasks;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssignmentValidatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
    private static final long DEADLINE = 1_060_000;

    private final AssignmentValidator validator = new AssignmentValidator(
            List.of(GlobPattern.server("ctl:9092"), GlobPattern.server("*.lab:9092")),
            List.of(GlobPattern.option("-Xmx*")),
            4,
            CLOCK);

    @Test
    void acceptsAssignmentInsideEveryLimit() {
        RunAssignment assignment = Tasks.producers("w1", "p", 3, "a.lab:9092,ctl:9092", "t", 10, DEADLINE);
        assertTrue(validator.validate("run-1", assignment, 1).isEmpty());
    }

    @Test
    void rejectsAssignmentOverCapacity() {
        RunAssignment assignment = Tasks.producers("w1", "p", 3, "ctl:9092", "t", 10, DEADLINE);
        AssignmentValidator.Rejection rejection =
                validator.validate("run-1", assignment, 2).orElseThrow();
        assertEquals(Reason.OVER_CAPACITY, rejection.reason());
        assertEquals("3 agents asked, 2 running, capacity 4 (--max-agents)", rejection.detail());
    }

    @Test
    void rejectsTargetOutsideAllowList() {
        RunAssignment assignment = Tasks.producers("w1", "p", 1, "ctl:9092,prod.example:9092", "t", 10, DEADLINE);
        AssignmentValidator.Rejection rejection =
                validator.validate("run-1", assignment, 0).orElseThrow();
        assertEquals(Reason.TARGET_NOT_ALLOWED, rejection.reason());
        assertTrue(rejection.detail().contains("'prod.example:9092'"), rejection.detail());
    }

    @Test
    void rejectsJvmOptionOutsideAllowList() {
        RunAssignment base = Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, DEADLINE);
        RunAssignment assignment = new RunAssignment(
                base.assignmentId(), "w1", base.tasks(), 1, List.of("-Xmx64m", "-javaagent:/tmp/x.jar"), DEADLINE);
        AssignmentValidator.Rejection rejection =
                validator.validate("run-1", assignment, 0).orElseThrow();
        assertEquals(Reason.JVM_OPTIONS_NOT_ALLOWED, rejection.reason());
        assertTrue(rejection.detail().contains("'-javaagent:/tmp/x.jar'"), rejection.detail());
    }

    @Test
    void rejectsRunIdThatCouldLeaveTheLogDir() {
        RunAssignment assignment = Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, DEADLINE);
        assertEquals(
                Reason.INVALID,
                validator.validate("../../etc", assignment, 0).orElseThrow().reason());
    }

    @Test
    void rejectsPassedDeadlineDuplicateIdsAndNoTasks() {
        RunAssignment late = Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, 999_000);
        assertTrue(validator.validate("r", late, 0).orElseThrow().detail().contains("has passed"));

        RunAssignment one = Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, DEADLINE);
        RunAssignment twice = new RunAssignment(
                "a", "w1", List.of(one.tasks().get(0), one.tasks().get(0)), 1, List.of(), DEADLINE);
        assertEquals(
                "agentId 'p0' appears twice",
                validator.validate("r", twice, 0).orElseThrow().detail());

        RunAssignment empty = new RunAssignment("a", "w1", List.of(), 1, List.of(), DEADLINE);
        assertEquals(
                Reason.INVALID, validator.validate("r", empty, 0).orElseThrow().reason());
    }
}
