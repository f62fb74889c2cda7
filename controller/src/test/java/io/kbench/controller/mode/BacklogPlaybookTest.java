package io.kbench.controller.mode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.PauseConsumers;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.Rates;
import io.kbench.protocol.message.ResumeConsumers;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.message.Workload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacklogPlaybookTest {

    private static final long MB = 1024 * 1024;

    private static WindowSummary window(long start, long received, long backlog) {
        return new WindowSummary(
                "r",
                start,
                start + 1000,
                Phase.MEASURE,
                new Rates(1000, 0, received, 0, 0),
                1000,
                received,
                0,
                backlog,
                Map.of(),
                Map.of(),
                Map.of(),
                0,
                2,
                false);
    }

    @Test
    void pausesAfterWarmupResumesAtTheSizeDrainsThenMeasuresAndStops() {
        Workload workload = backlogWorkload();
        BacklogPlaybook playbook = new BacklogPlaybook(workload, 2_000, 10_000);
        playbook.started(1_000);

        assertEquals(0, playbook.agentMeasureMs(), "the playbook ends the run");
        assertEquals(List.of(), playbook.onTick(2_999));
        PauseConsumers pause =
                assertInstanceOf(PauseConsumers.class, playbook.onTick(3_000).get(0));
        assertEquals(Phase.BACKLOG_BUILD, pause.phase());

        assertEquals(List.of(), playbook.onWindow(window(4_000, 0, 600), 5_000));
        ResumeConsumers drain = assertInstanceOf(
                ResumeConsumers.class,
                playbook.onWindow(window(5_000, 0, 1100), 6_000).get(0));
        assertEquals(Phase.BACKLOG_DRAIN, drain.phase());

        assertEquals(List.of(), playbook.onWindow(window(6_000, 2000, 800), 7_000));
        ResumeConsumers measure = assertInstanceOf(
                ResumeConsumers.class,
                playbook.onWindow(window(7_000, 2000, 400), 8_000).get(0));
        assertEquals(Phase.MEASURE, measure.phase());

        assertEquals(List.of(), playbook.onTick(17_999));
        assertInstanceOf(StopRun.class, playbook.onTick(18_000).get(0));

        @SuppressWarnings("unchecked")
        Map<String, Object> backlog = (Map<String, Object>) playbook.extras().get("backlog");
        assertEquals(1024L, backlog.get("targetMessages"));
        assertEquals(1100L, backlog.get("reachedMessages"));
        assertEquals(0L, backlog.get("receivedWhilePaused"));
        assertEquals(2.0, (double) backlog.get("drainSeconds"), 1e-9);
        assertEquals(3.0, (double) backlog.get("buildSeconds"), 1e-9);
        assertEquals(2000.0, (double) backlog.get("drainConsumeRate"), 1e-9);
        assertEquals(workload.statsWindowSeconds(), backlog.get("drainResolutionSeconds"), "seen through windows");
        assertTrue(
                playbook.news().stream()
                        .anyMatch(n -> n.startsWith("backlog drained in 2.0 s, as the " + workload.statsWindowSeconds()
                                + " s stats windows show it")),
                "the drain's time says its resolution");
        assertTrue((boolean) backlog.get("completed"));
        assertEquals(MB, (long) backlog.get("targetBytes"));
    }

    @Test
    void aDrainFasterThanAWindowStillHasARateOverThePartAfterTheResume() {
        BacklogPlaybook playbook = new BacklogPlaybook(backlogWorkload(), 2_000, 10_000);
        playbook.started(1_000);
        playbook.onTick(3_000);
        // the backlog is reached in the window ending at 5,500; consumers resume at 6,000
        assertInstanceOf(
                ResumeConsumers.class,
                playbook.onWindow(window(4_500, 0, 1100), 6_000).get(0));
        // the window open at the resume [5,500, 6,500) already holds the whole drain
        assertInstanceOf(
                ResumeConsumers.class,
                playbook.onWindow(window(5_500, 1000, 100), 6_600).get(0));

        @SuppressWarnings("unchecked")
        Map<String, Object> backlog = (Map<String, Object>) playbook.extras().get("backlog");
        assertEquals(2000.0, (double) backlog.get("drainConsumeRate"), 1e-9, "1,000 messages in the 0.5 s after it");
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
