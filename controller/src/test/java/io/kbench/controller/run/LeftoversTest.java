package io.kbench.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LeftoversTest {

    private static final long NOW = 10_000_000_000L;

    private final Map<String, Message> control = new HashMap<>();
    private final Map<String, Long> activity = new HashMap<>();
    private final Map<String, Message> results = new HashMap<>();

    private Map<String, Leftovers.Decision> decide(String... topics) {
        return Leftovers.decide(control, activity, results, List.of(topics), NOW).stream()
                .collect(Collectors.toMap(Leftovers.Decision::topic, d -> d));
    }

    private void spec(String runId, String sweepId) {
        control.put(
                runId + "/RunSpec",
                new RunSpec(
                        "w",
                        "Kafka",
                        null,
                        Map.of(),
                        List.of(),
                        Map.of(),
                        List.of(),
                        1,
                        0,
                        0,
                        1000,
                        10,
                        sweepId,
                        null,
                        NOW - 3_600_000));
        activity.put(runId, NOW - 3_600_000);
    }

    private void started(String runId, long deadlineAt) {
        control.put(runId + "/StartRun", new StartRun(deadlineAt - 60_000, 0, 60_000, deadlineAt));
    }

    private void summary(String runId, String sweepId) {
        results.put(runId + "/RunSummary", RunFixtures.completed(runId, sweepId));
    }

    @Test
    void deletesEndedAndAbandonedRunsButNeverALiveOne() {
        spec("ended", null);
        summary("ended", null);
        spec("abandoned", null);
        started("abandoned", NOW - 600_000);
        spec("live", null);
        started("live", NOW + 600_000);

        Map<String, Leftovers.Decision> d =
                decide("kbench-ended-0", "kbench-ended-1", "kbench-abandoned-0", "kbench-live-0", "orders");

        assertTrue(d.get("kbench-ended-0").delete());
        assertTrue(d.get("kbench-ended-1").delete());
        assertTrue(d.get("kbench-ended-0").reason().contains("ended COMPLETE"));
        assertTrue(d.get("kbench-abandoned-0").delete());
        assertTrue(d.get("kbench-abandoned-0").reason().contains("abandoned"));
        assertFalse(d.get("kbench-live-0").delete());
        assertTrue(d.get("kbench-live-0").reason().startsWith("live"));
        assertFalse(d.containsKey("orders"), "only benchmark topics are considered");
    }

    @Test
    void aRunJustStoppedIsLeftToItsController() {
        spec("stopping", null);
        started("stopping", NOW + 600_000);
        control.put("stopping/StopRun", new StopRun(StopRun.Reason.INTERRUPTED, "ctrl-c"));
        activity.put("stopping", NOW - 5_000);
        assertFalse(decide("kbench-stopping-0").get("kbench-stopping-0").delete());

        activity.put("stopping", NOW - 600_000);
        assertTrue(decide("kbench-stopping-0").get("kbench-stopping-0").delete(), "the controller died after it");
    }

    @Test
    void anEndedPointOfALiveSweepKeepsItsTopics() {
        spec("point1", "sweep-a");
        summary("point1", "sweep-a");
        spec("point2", "sweep-a");
        started("point2", NOW + 600_000);

        Map<String, Leftovers.Decision> d = decide("kbench-point1-0", "kbench-point2-0");

        assertFalse(d.get("kbench-point1-0").delete());
        assertTrue(d.get("kbench-point1-0").reason().contains("sweep-a"));
        assertFalse(d.get("kbench-point2-0").delete());
    }

    @Test
    void anUnknownRunIsKeptUnlessItsIdDatesItPastAnyControlRecord() {
        String recent = "x-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-abcd";
        String old = "x-20200101-000000-abcd";

        Map<String, Leftovers.Decision> d = Leftovers.decide(
                        control,
                        activity,
                        results,
                        List.of("kbench-" + recent + "-0", "kbench-" + old + "-0"),
                        System.currentTimeMillis())
                .stream()
                .collect(Collectors.toMap(Leftovers.Decision::topic, x -> x));

        assertFalse(d.get("kbench-" + recent + "-0").delete());
        assertTrue(d.get("kbench-" + recent + "-0").reason().startsWith("unknown"));
        assertTrue(d.get("kbench-" + old + "-0").delete());
        assertEquals(old, d.get("kbench-" + old + "-0").runId());
    }
}
