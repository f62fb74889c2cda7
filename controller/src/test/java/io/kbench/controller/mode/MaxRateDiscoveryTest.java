package io.kbench.controller.mode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RateChange;
import io.kbench.protocol.message.Rates;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.message.Workload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaxRateDiscoveryTest {

    private long t;
    private long backlog;

    private WindowSummary window(double published, double consumed) {
        backlog += (long) ((published - consumed) * 2);
        WindowSummary w = new WindowSummary(
                "r",
                t,
                t + 2000,
                Phase.MEASURE,
                new Rates(published, 0, consumed, 0, 0),
                (long) published * 2,
                (long) consumed * 2,
                0,
                backlog,
                Map.of(),
                Map.of(),
                Map.of(),
                0,
                0,
                false);
        t += 2000;
        return w;
    }

    private double feed(MaxRateDiscovery discovery, double published, double consumed) {
        List<Message> out = discovery.onWindow(window(published, consumed), t);
        return out.isEmpty()
                ? Double.NaN
                : assertInstanceOf(RateChange.class, out.get(0)).totalRate();
    }

    @Test
    void probesUnthrottledThenHoldsJustBelowTheSlowerSide() {
        MaxRateDiscovery discovery = new MaxRateDiscovery(2, true, 60_000);
        feed(discovery, 5_000, 5_000); // ramp-up, ignored
        feed(discovery, 50_000, 40_000);
        feed(discovery, 52_000, 41_000);
        double first = feed(discovery, 48_000, 39_000);

        assertEquals(40_000, discovery.estimate(), 1e-9, "consumers are the limit");
        assertEquals(38_000, first, 1e-9, "95 % of the estimate");
    }

    @Test
    void risesFasterWithEachRiseInARowAndNeverMoreThan10PercentAboveWhatWasHeld() {
        MaxRateDiscovery discovery = probed(10_000);
        double asked = discovery.rate();
        feed(discovery, asked, asked); // settle
        List<Double> rises = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double before = discovery.rate();
            double next = feed(discovery, before, before);
            if (!Double.isNaN(next)) {
                rises.add(next / before - 1);
                assertTrue(next <= before * 1.10 + 1e-6, "at most 10 % above a rate three windows kept up with");
            }
        }
        assertEquals(0.02, rises.get(0), 1e-9);
        assertEquals(0.04, rises.get(1), 1e-9);
        assertEquals(0.06, rises.get(2), 1e-9);
        assertEquals(0.08, rises.get(3), 1e-9);
        assertEquals(0.08, rises.get(4), 1e-9, "then no faster");
        assertTrue(discovery.rate() > 11_000, "beyond 110 % of the probe's estimate: " + discovery.rate());
    }

    @Test
    void aProbeDuringJitCompilationDoesNotCapTheRate() {
        // The probe read 10,000 msg/s while the JVMs compiled; compiled, the producers keep up with 14,000.
        MaxRateDiscovery discovery = probed(10_000);
        for (int i = 0; i < 80; i++) {
            double asked = discovery.rate();
            double achieved = Math.min(asked, 14_000);
            feed(discovery, achieved, achieved);
        }
        double found = discovery.discoveredRate();
        assertTrue(found > 12_600 && found <= 14_000 * 1.02, "found " + found);
    }

    @Test
    void aFallStartsTheRisesAgainAtTheSmallestStep() {
        MaxRateDiscovery discovery = probed(10_000);
        double asked = discovery.rate();
        feed(discovery, asked, asked); // settle
        for (int i = 0; i < 8; i++) { // two rises: 2 %, 4 %
            feed(discovery, discovery.rate(), discovery.rate());
        }
        double high = discovery.rate();
        assertEquals(asked * 1.02 * 1.04, high, 1e-6);
        feed(discovery, high * 0.9, high * 0.9);
        double cut = feed(discovery, high * 0.9, high * 0.9);
        assertEquals(high * 0.9 * 0.98, cut, 1e-6);
        for (int i = 0; i < 3; i++) {
            feed(discovery, cut, cut); // settle and two good windows
        }
        double up = feed(discovery, cut, cut);
        assertEquals(cut * 1.01, up, 1e-6, "half the step after the flip, and the first rise again");
    }

    @Test
    void fallsWhenTheBacklogGrows() {
        MaxRateDiscovery discovery = probed(10_000);
        double asked = discovery.rate();
        feed(discovery, asked, asked); // settle
        feed(discovery, asked, asked * 0.8);
        double lowered = feed(discovery, asked, asked * 0.8);

        assertEquals(asked * 0.95, lowered, 1e-6, "two windows of growing backlog lower the rate 5 %");
    }

    @Test
    void fallsToWhatProducersAchieveWhenTheyFallShortTwoWindowsRunning() {
        MaxRateDiscovery discovery = probed(10_000);
        feed(discovery, discovery.rate(), discovery.rate()); // settle
        assertTrue(Double.isNaN(feed(discovery, 7_000, 7_000)), "one short window: wait for the next");
        double lowered = feed(discovery, 7_400, 7_400);
        assertEquals(7_200 * 0.98, lowered, 1e-6, "just under what the two windows achieved");
    }

    @Test
    void aStallTheProducersCatchUpOnIsNotAShortfall() {
        MaxRateDiscovery discovery = probed(10_000);
        double asked = discovery.rate();
        feed(discovery, asked, asked); // settle
        feed(discovery, asked, asked);
        feed(discovery, asked, asked);
        // A collection or a log roll: one window short, the next catches up (every message keeps its intended time).
        assertTrue(Double.isNaN(feed(discovery, asked * 0.85, asked * 0.85)));
        assertTrue(Double.isNaN(feed(discovery, asked * 1.15, asked * 1.15)), "caught up: no change");
        assertEquals(asked, discovery.rate(), 1e-9);
        List<Map<String, Object>> trace = trace(discovery);
        assertEquals(
                "hold: producers short for one window",
                trace.get(trace.size() - 2).get("decision"));
        // The short window was no good window: three more are needed before a rise.
        assertTrue(Double.isNaN(feed(discovery, asked, asked)));
        assertTrue(feed(discovery, asked, asked) > asked, "up after three good windows in a row");
    }

    @Test
    void aCutForAStallSpanningTwoWindowsIsUndoneWhenTheProducersCatchUp() {
        MaxRateDiscovery discovery = probed(10_000);
        double asked = discovery.rate();
        feed(discovery, asked, asked); // settle
        feed(discovery, asked, asked);
        // A stall across two windows (a profiler's dump, a long collection): the rate is cut to what they achieved.
        assertTrue(Double.isNaN(feed(discovery, 3_000, 3_000)));
        double cut = feed(discovery, 2_500, 2_500);
        assertEquals(2_750 * 0.98, cut, 1e-6);
        // The next window: they send what the stall left them owing, far above the cut rate.
        double restored = feed(discovery, 7_000, 7_000);
        assertEquals(asked, restored, 1e-9, "the cut is undone");
        assertTrue(
                String.valueOf(lastDecision(discovery)).startsWith("up: producers caught up at 7,000 msg/s"),
                String.valueOf(lastDecision(discovery)));
        assertTrue(discovery.news().stream().anyMatch(n -> n.contains("back up to")), "said on the console");
        // Judging starts again at the restored rate: a settling window, then three good ones before a rise.
        assertTrue(Double.isNaN(feed(discovery, asked, asked)));
        assertTrue(Double.isNaN(feed(discovery, asked, asked)));
        assertTrue(Double.isNaN(feed(discovery, asked, asked)));
        assertTrue(feed(discovery, asked, asked) > asked);
    }

    /** Settles at the asked rate, then two windows at 7,000 and 7,400 msg/s: the cut rate. */
    private double cutByTwoShortWindows(MaxRateDiscovery discovery) {
        feed(discovery, discovery.rate(), discovery.rate()); // settle
        feed(discovery, 7_000, 7_000);
        return feed(discovery, 7_400, 7_400);
    }

    @Test
    void producersAtTheirLimitCatchUpTooSlowlyToUndoTheCut() {
        MaxRateDiscovery discovery = probed(10_000);
        double asked = discovery.rate();
        double cut = cutByTwoShortWindows(discovery);
        // What they owe, they catch up on at the little their capacity (7,400) leaves above the cut rate.
        for (int i = 0; i < 3; i++) {
            assertTrue(Double.isNaN(feed(discovery, 7_400, 7_400)), "window " + i + ": the cut stands");
        }
        assertEquals(cut, discovery.rate(), 1e-9);
        feed(discovery, 7_400, 7_400);
        assertTrue(discovery.rate() <= cut * 1.02 + 1e-6, "then at most the usual rise: " + discovery.rate());
        assertTrue(discovery.rate() < asked * 0.8, String.valueOf(discovery.rate()));
    }

    @Test
    void aCutIsUndoneOnlyInTheWindowsRightAfterIt() {
        MaxRateDiscovery discovery = probed(10_000);
        double asked = discovery.rate();
        double cut = cutByTwoShortWindows(discovery);
        feed(discovery, cut, cut); // settle
        feed(discovery, cut, cut);
        feed(discovery, cut, cut);
        // Later, a one-window stall and its catch-up: no reason to go back to a rate the producers missed.
        feed(discovery, cut * 0.8, cut * 0.8);
        feed(discovery, cut * 1.2, cut * 1.2);
        assertTrue(discovery.rate() <= cut * 1.02 + 1e-6, "at most one rise: " + discovery.rate());
    }

    private static Object lastDecision(MaxRateDiscovery discovery) {
        List<Map<String, Object>> trace = trace(discovery);
        return trace.get(trace.size() - 1).get("decision");
    }

    /** Every decision the playbook recorded, as the result file holds them. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> trace(MaxRateDiscovery discovery) {
        return (List<Map<String, Object>>)
                ((Map<String, Object>) discovery.extras().get("maxRateDiscovery")).get("trace");
    }

    @Test
    void settlesWithoutSwingingAndRecordsTheRateAndTrace() {
        MaxRateDiscovery discovery = probed(10_000);
        // A cluster that sustains 10,400 msg/s: above it the backlog grows.
        for (int i = 0; i < 80; i++) {
            double asked = discovery.rate();
            feed(discovery, asked, Math.min(asked, 10_400));
        }
        double found = discovery.discoveredRate();
        assertTrue(found > 9_400 && found < 10_800, "found " + found);
        assertTrue(discovery.swingLast30s() < 0.10, "swing " + discovery.swingLast30s());
        @SuppressWarnings("unchecked")
        Map<String, Object> trace = (Map<String, Object>) discovery.extras().get("maxRateDiscovery");
        assertEquals(84, ((List<?>) trace.get("trace")).size());
        assertEquals(found, (double) discovery.extras().get("discoveredRate"), 1e-9);
    }

    @Test
    void probesOnWhileTheProducersStillSpeedUpAndEstimatesFromTheLastThreeWindows() {
        // 16 min of 10 s windows, no warm-up: the probe may take up to 8 windows.
        MaxRateDiscovery discovery = new MaxRateDiscovery(1, false, 960_000, 10, 960_000);
        feed(discovery, 100_000, 0); // ramp-up
        feed(discovery, 412_000, 0);
        feed(discovery, 580_000, 0);
        assertTrue(Double.isNaN(feed(discovery, 734_000, 0)), "734 k is well above the median 580 k: no rate yet");
        assertEquals(0, discovery.estimate(), 1e-9);

        double asked = feed(discovery, 760_000, 0); // within 5 % of the last three's median (734 k): settled
        assertEquals(734_000, discovery.estimate(), 1e-9, "the median of the last three, not of all four");
        assertEquals(734_000 * MaxRateDiscovery.START_FRACTION, asked, 1e-6);
        List<Map<String, Object>> trace = trace(discovery);
        assertEquals("probe: still speeding up", trace.get(3).get("decision"));
    }

    @Test
    void aProbeThatKeepsRisingEndsAtItsLimitAndASwingIsNotARise() {
        MaxRateDiscovery rising = new MaxRateDiscovery(1, false, 960_000, 10, 960_000);
        feed(rising, 10_000, 0);
        double asked = Double.NaN;
        int windows = 0;
        for (double rate = 100_000; Double.isNaN(asked); rate *= 1.2) {
            asked = feed(rising, rate, 0);
            windows++;
        }
        assertEquals(MaxRateDiscovery.MAX_PROBE_WINDOWS, windows, "at most 8 probe windows");

        // 495 k, 708 k, 557 k: the newest is the median, so the producers are not speeding up.
        MaxRateDiscovery swinging = new MaxRateDiscovery(1, false, 960_000, 10, 960_000);
        feed(swinging, 10_000, 0);
        feed(swinging, 495_858, 0);
        feed(swinging, 708_268, 0);
        feed(swinging, 557_189, 0);
        assertEquals(557_189, swinging.estimate(), 1e-9);

        // A short run keeps the probe at 3 windows: 24 s of 2 s windows leaves a quarter of 12.
        MaxRateDiscovery shortRun = new MaxRateDiscovery(1, false, 16_000, 2, 24_000);
        feed(shortRun, 10_000, 0);
        feed(shortRun, 100_000, 0);
        feed(shortRun, 200_000, 0);
        feed(shortRun, 400_000, 0);
        assertEquals(200_000, shortRun.estimate(), 1e-9);
    }

    @Test
    void theProducersRunUnthrottledThroughTheWarmUpButItsLastWindow() {
        // 60 s of warm-up and 120 s of measurement in 5 s windows: the warm-up's first 11 windows probe.
        MaxRateDiscovery discovery = new MaxRateDiscovery(1, true, 120_000, 5, 180_000);
        double[] warming = {50_000, 200_000, 210_000, 205_000, 240_000, 260_000, 280_000, 275_000, 290_000, 285_000};
        for (double rate : warming) {
            assertTrue(Double.isNaN(feed(discovery, rate, rate)), "still in the warm-up: " + rate);
        }
        assertEquals(0, discovery.estimate(), 1e-9, "no estimate from the warm-up's early windows");
        double asked = feed(discovery, 288_000, 288_000); // the 11th window
        assertEquals(288_000, discovery.estimate(), 1e-9, "the median of the warm-up's last three probe windows");
        assertEquals(288_000 * MaxRateDiscovery.START_FRACTION, asked, 1e-6);
        List<Map<String, Object>> trace = trace(discovery);
        assertEquals("probe: warm-up", trace.get(9).get("decision"));
        assertEquals("probe", trace.get(10).get("decision"));
    }

    private MaxRateDiscovery probed(double capacity) {
        MaxRateDiscovery discovery = new MaxRateDiscovery(1, true, 60_000);
        for (int i = 0; i < 4; i++) {
            feed(discovery, capacity, capacity);
        }
        return discovery;
    }

    @Test
    void aRunTooShortToJudgeAHeldRateReportsNoRateAndWhy() {
        MaxRateDiscovery discovery = new MaxRateDiscovery(1, true, 20_000, 10, 20_000);
        feed(discovery, 5_000, 5_000); // ramp-up
        feed(discovery, 50_000, 50_000);
        feed(discovery, 50_000, 50_000);
        feed(discovery, 50_000, 50_000); // the probe ends: a rate is asked, but never judged
        feed(discovery, 47_500, 47_500); // settling

        assertNull(discovery.discoveredRate(), "no rate, not 0");
        Map<String, Object> extras = discovery.extras();
        assertTrue(extras.containsKey("discoveredRate"));
        assertNull(extras.get("discoveredRate"));
        assertEquals(
                "no rate was found: the run was too short; max-rate discovery needs at least 60 s of warm-up and "
                        + "measurement with statsWindowSeconds 10 (a ramp-up window, 3 probe windows, a settling "
                        + "window and a judged one)",
                extras.get("notice"));

        feed(discovery, 47_500, 47_500); // one judged window is enough
        assertEquals(47_500, discovery.discoveredRate(), 1e-9);
    }

    @Test
    void warnsBeforeARunTooShortToFindARate() {
        Workload shortRun = Workload.builder()
                .name("short")
                .topics(1)
                .partitionsPerTopic(1)
                .messageSize(1024)
                .subscriptionsPerTopic(1)
                .producersPerTopic(1)
                .consumerPerSubscription(1)
                .producerRate(0.0)
                .testDurationSeconds(20)
                .warmupDurationSeconds(5)
                .statsWindowSeconds(10)
                .build();
        assertTrue(MaxRateDiscovery.tooShort(shortRun).orElseThrow().contains("runs 25 s"));
        assertTrue(MaxRateDiscovery.tooShort(shortRun.withDurations(55, 5)).isEmpty(), "60 s is enough");
        assertTrue(
                MaxRateDiscovery.tooShort(shortRun.withDurations(1, 0)).isPresent(),
                "1 s of a discovery run is too short");
        assertEquals(60, MaxRateDiscovery.minimumSeconds(10));
        assertEquals(12, MaxRateDiscovery.minimumSeconds(2));
    }

    @Test
    void windowsWhileTheProbesQueueDrainsDoNotCutTheRate() {
        // Given a probe of 5,000 msg/s whose buffered messages take two windows to be acknowledged
        MaxRateDiscovery discovery = new MaxRateDiscovery(2, false, 60_000);
        feed(discovery, 1_000, 0); // ramp-up
        feed(discovery, 5_000, 0);
        feed(discovery, 5_000, 0);
        double held = feed(discovery, 5_000, 0);
        assertEquals(4_750, held, 1e-9);
        assertTrue(Double.isNaN(feed(discovery, 2_000, 0)), "the window that mixes old and new rate settles");

        // When the next windows acknowledge almost nothing of the measurement yet
        double first = feed(discovery, 0, 0);
        double second = feed(discovery, 10, 0);

        // Then the rate holds; once messages flow it is judged again
        assertTrue(Double.isNaN(first) && Double.isNaN(second), "no RateChange while the queue drains");
        assertTrue(Double.isNaN(feed(discovery, 4_000, 0)), "one short window: the next is judged with it");
        double judged = feed(discovery, 4_000, 0);
        assertTrue(judged < held && judged > held * 0.8, "producers short of the held rate: down by a step, " + judged);
    }
}
