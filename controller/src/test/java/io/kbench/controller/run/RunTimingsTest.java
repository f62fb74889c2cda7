package io.kbench.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.StopRun;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RunTimingsTest {

    private static final RunTimings D = RunTimings.DEFAULTS;

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertEquals(Duration.ofMillis(1500), D.startLead());
        assertEquals(Duration.ofSeconds(90), D.readyTimeout());
        assertEquals(Duration.ofSeconds(30), D.summaryGrace());
        assertEquals(Duration.ofSeconds(15), D.interruptWait());
        assertEquals(Duration.ofSeconds(30), D.abortWait());
        assertEquals(Duration.ofSeconds(10), D.clusterTimeout());
        assertEquals(
                D.readyTimeout(),
                new RunRequest(null, null, null, null, 0, null, null, false, null, null, null).readyTimeout());
    }

    @Test
    void deadlinesAddTheirSlack() {
        assertEquals(1_000 + 90_000 + 70_000 + 60_000, D.assignmentDeadline(1_000, Duration.ofSeconds(90), 70_000));
        assertEquals(2_500 + 70_000 + 15_000, D.startRunDeadline(2_500, 70_000));
    }

    @Test
    void anInterruptWaitsLessThanAnAbort() {
        assertEquals(Duration.ofSeconds(15), D.stopWait(StopRun.Reason.INTERRUPTED));
        assertEquals(Duration.ofSeconds(30), D.stopWait(StopRun.Reason.ABORTED));
    }

    @Test
    void aPollTooLongToAnswerAFailureInTimeIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RunTimings(
                        D.startLead(),
                        D.readyTimeout(),
                        D.summaryGrace(),
                        D.interruptWait(),
                        D.abortWait(),
                        D.assignmentSlack(),
                        D.startRunSlack(),
                        D.clusterTimeout(),
                        Duration.ofSeconds(2)));
    }

    @Test
    void aRunIdIsTimedByTheInjectedClock() {
        Instant then = Instant.parse("2001-09-09T01:46:40Z");
        String id = RunCoordinator.newRunId("My Workload: 1 KB!", Clock.fixed(then, ZoneOffset.UTC));
        String local = LocalDateTime.ofInstant(then, ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        assertTrue(id.matches("my-workload-1-kb-" + local + "-[0-9a-f]{4}"), id);
    }
}
