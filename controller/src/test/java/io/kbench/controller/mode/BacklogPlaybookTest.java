package io.kbench.controller.mode;

import static io.kbench.controller.mode.Reports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.PauseConsumers;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.ResumeConsumers;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.message.Workload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacklogPlaybookTest {

    private static final long MB = 1024 * 1024;
    private static final List<String> AGENTS = List.of("p1", "c1");

    /** Both agents' reports of the interval starting at {@code start}: p1 acknowledged, c1 read. */
    private static void interval(BacklogPlaybook playbook, long start, long sent, long received) {
        long seq = start / 1000 - 1;
        playbook.onReport(report("p1", seq, start, sent, 0));
        playbook.onReport(report("c1", seq, start, 0, received));
    }

    @Test
    void pausesAfterWarmupResumesAtTheSizeDrainsThenMeasuresAndStopsToTheAgentsReports() {
        Workload workload = backlogWorkload();
        BacklogPlaybook playbook = new BacklogPlaybook(workload, 2_000, 10_000);
        playbook.started(1_000, AGENTS);
        assertTrue(playbook.followsReports());
        assertEquals(0, playbook.agentMeasureMs(), "the playbook ends the run");

        interval(playbook, 1_000, 300, 300);
        interval(playbook, 2_000, 300, 300);
        assertEquals(List.of(), playbook.onTick(2_999));
        PauseConsumers pause =
                assertInstanceOf(PauseConsumers.class, playbook.onTick(3_000).get(0));
        assertEquals(Phase.BACKLOG_BUILD, pause.phase());

        // The pause reaches the consumer within its first second: what it reads then is not "while paused".
        interval(playbook, 3_000, 300, 50);
        interval(playbook, 4_000, 500, 5); // 5 stragglers while paused
        assertEquals(List.of(), playbook.onTick(5_100), "backlog 745 of 1,024");
        playbook.onReport(report("p1", 4, 5_000, 500, 0));
        assertEquals(List.of(), playbook.onTick(6_050), "the consumer has not reported to 6,000 yet");
        playbook.onReport(report("c1", 4, 5_000, 0, 0));
        ResumeConsumers drain =
                assertInstanceOf(ResumeConsumers.class, playbook.onTick(6_100).get(0));
        assertEquals(Phase.BACKLOG_DRAIN, drain.phase());

        interval(playbook, 6_000, 500, 1000);
        assertEquals(List.of(), playbook.onTick(7_100), "backlog 745 above the 512 left when drained");
        interval(playbook, 7_000, 500, 1000);
        playbook.onReport(report("c1", 6, 7_000, 0, 1000)); // a duplicate: passed over
        ResumeConsumers measure =
                assertInstanceOf(ResumeConsumers.class, playbook.onTick(8_100).get(0));
        assertEquals(Phase.MEASURE, measure.phase());

        assertEquals(List.of(), playbook.onTick(18_099));
        assertInstanceOf(StopRun.class, playbook.onTick(18_100).get(0));

        Map<String, Object> backlog = backlogOf(playbook);
        assertEquals(1024L, backlog.get("targetMessages"));
        assertEquals(512L, backlog.get("drainedToMessages"));
        assertEquals(1245L, backlog.get("reachedMessages"), "1,900 acknowledged, 655 read at 6,000");
        assertEquals(5L, backlog.get("receivedWhilePaused"));
        assertEquals(3.1, (double) backlog.get("buildSeconds"), 1e-9);
        assertEquals(1.9, (double) backlog.get("drainSeconds"), 1e-9, "from the resume at 6,100 to 8,000");
        assertEquals(1.0, (double) backlog.get("drainResolutionSeconds"), 1e-9, "above the level at 7,000");
        assertEquals(2000 / 1.9, (double) backlog.get("drainConsumeRate"), 1e-9, "2,000 read since the resume");
        assertTrue(
                playbook.news().stream()
                        .anyMatch(
                                n -> n.startsWith(
                                        "backlog drained in 1.9 s as the agents' reports show it (it ended within its last 1.0 s)")),
                "the drain's time says its resolution");
        assertTrue((boolean) backlog.get("completed"));
        assertEquals(MB, (long) backlog.get("targetBytes"));
    }

    @Test
    void aDrainFasterThanAReportIntervalHasItsTimeAndRateFromTheResume() {
        BacklogPlaybook playbook = building();
        interval(playbook, 3_000, 1100, 0);
        assertInstanceOf(ResumeConsumers.class, playbook.onTick(4_500).get(0));
        // the interval open at the resume [4,000, 5,000) already holds the whole drain
        interval(playbook, 4_000, 0, 1000);
        assertInstanceOf(ResumeConsumers.class, playbook.onTick(5_050).get(0));

        Map<String, Object> backlog = backlogOf(playbook);
        assertEquals(0.5, (double) backlog.get("drainSeconds"), 1e-9);
        assertEquals(0.5, (double) backlog.get("drainResolutionSeconds"), 1e-9);
        assertEquals(2000.0, (double) backlog.get("drainConsumeRate"), 1e-9, "1,000 messages in the 0.5 s after it");
    }

    /**
     * With {@code backlogDrainRatio: 1.0} the drain is over when the backlog is back to what was in flight at the
     * warm-up's end (its second half, at most its last 10 s), not at 0, which a report once a second rarely shows.
     */
    @Test
    void aDrainToTheEndIsOverWhenTheBacklogIsBackToWhatWasInFlight() {
        Workload workload = backlogWorkload().toBuilder().backlogDrainRatio(1.0).build();
        BacklogPlaybook playbook = new BacklogPlaybook(workload, 4_000, 10_000);
        playbook.started(1_000, AGENTS);
        interval(playbook, 1_000, 600, 100); // JVMs warming up: 500 behind, in the warm-up's first half
        playbook.onTick(2_100);
        interval(playbook, 2_000, 300, 780);
        playbook.onTick(3_100);
        interval(playbook, 3_000, 300, 260);
        playbook.onTick(4_100);
        interval(playbook, 4_000, 300, 340);
        assertInstanceOf(PauseConsumers.class, playbook.onTick(5_000).get(0));
        assertTrue(playbook.news().stream().anyMatch(n -> n.endsWith("in flight while consumers kept pace: up to 60")));

        interval(playbook, 5_000, 1100, 0);
        assertInstanceOf(ResumeConsumers.class, playbook.onTick(6_100).get(0));
        interval(playbook, 6_000, 300, 1330);
        assertEquals(List.of(), playbook.onTick(7_100), "90 behind: more than was in flight");
        interval(playbook, 7_000, 300, 350);
        assertInstanceOf(ResumeConsumers.class, playbook.onTick(8_100).get(0), "40 behind: keeping pace again");

        Map<String, Object> backlog = backlogOf(playbook);
        assertEquals(60L, backlog.get("inFlightMessages"));
        assertEquals(60L, backlog.get("drainedToMessages"));
        assertEquals(1.9, (double) backlog.get("drainSeconds"), 1e-9);
    }

    @Test
    void aRunStoppedWhileBuildingSaysItDidNotComplete() {
        BacklogPlaybook playbook = building();
        interval(playbook, 3_000, 100, 0);
        assertEquals(List.of(), playbook.onTick(4_100));

        Map<String, Object> backlog = backlogOf(playbook);
        assertEquals(false, backlog.get("completed"));
        assertNull(backlog.get("drainSeconds"));
        assertNull(backlog.get("drainConsumeRate"));
        assertEquals(0L, backlog.get("reachedMessages"));
    }

    /** A playbook whose 2 s warm-up from 1,000 is over: consumers paused at 3,000, the backlog building. */
    private static BacklogPlaybook building() {
        BacklogPlaybook playbook = new BacklogPlaybook(backlogWorkload(), 2_000, 10_000);
        playbook.started(1_000, AGENTS);
        assertInstanceOf(PauseConsumers.class, playbook.onTick(3_000).get(0));
        return playbook;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> backlogOf(BacklogPlaybook playbook) {
        return (Map<String, Object>) playbook.extras().get("backlog");
    }

    /** 1 MB of 1 KB messages = 1024 messages; drain ratio 0.5 → drained at 512. */
    private static Workload backlogWorkload() {
        return Workload.builder()
                .name("b")
                .topics(1)
                .partitionsPerTopic(1)
                .messageSize(1024)
                .subscriptionsPerTopic(1)
                .producersPerTopic(1)
                .consumerPerSubscription(1)
                .producerRate(1000.0)
                .consumerBacklogSizeGB(1.0 / 1024)
                .backlogDrainRatio(0.5)
                .testDurationSeconds(10)
                .warmupDurationSeconds(2)
                .build();
    }
}
