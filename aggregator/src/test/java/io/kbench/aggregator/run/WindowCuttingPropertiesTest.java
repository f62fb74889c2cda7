package io.kbench.aggregator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.WindowSummary;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Window cutting against a simulated fleet: {@code producers} agents paced together at {@code rate} msg/s (and
 * optionally a consumer), acked {@code ackLatencyMs} after each send, cutting 1 report per stats interval on the
 * grid aligned to the measurement's start, each cut 0–{@code latenessMs} late, and a final report carrying the late
 * acks, cut when the agent closes after the stop. Reports of different agents arrive in any interleaving (each
 * agent's in order, as one producer on one partition delivers them).
 */
class WindowCuttingPropertiesTest {

    private static final long START = 1_700_000_000_000L;

    /** One simulated run's parameters. */
    record Fleet(
            int producers,
            boolean consumer,
            long rate,
            long statsMs,
            int windowSeconds,
            long warmupMs,
            long measureMs,
            long latenessMs,
            long ackLatencyMs) {

        long measureStart() {
            return START + warmupMs;
        }

        long stopAt() {
            return measureStart() + measureMs;
        }

        /** Messages one producer has sent before {@code t}: paced evenly, stopping at the stop time. */
        long sentBy(long t) {
            long elapsed = Math.max(0, Math.min(t, stopAt()) - START);
            return elapsed * rate / (1_000L * producers);
        }
    }

    record Outcome(RunSummary summary, List<WindowSummary> windows) {}

    @Property(tries = 300)
    void windowsAreEqualAndAddUpToTheSummary(
            @ForAll @IntRange(min = 1, max = 5) int producers,
            @ForAll boolean consumer,
            @ForAll @LongRange(min = 1_000, max = 20_000) long rate,
            @ForAll @IntRange(min = 1, max = 2) int statsHalfSeconds,
            @ForAll @IntRange(min = 0, max = 3) int windowChoice,
            @ForAll @IntRange(min = 0, max = 10) int warmupSteps,
            @ForAll @IntRange(min = 20, max = 80) int measureHalfSeconds,
            @ForAll @LongRange(min = 0, max = 10) long latenessMs,
            @ForAll @LongRange(min = 0, max = 5) long ackLatencyMs,
            @ForAll long seed) {
        long statsMs = statsHalfSeconds * 500L;
        int windowSeconds = new int[] {1, 2, 5, 10}[windowChoice];
        // Both are multiples of the stats interval; the measurement need not be one of the window.
        long measureMs = measureHalfSeconds * 500L / statsMs * statsMs;
        Fleet fleet = new Fleet(
                producers,
                consumer,
                rate,
                statsMs,
                windowSeconds,
                warmupSteps * statsMs,
                measureMs,
                latenessMs,
                ackLatencyMs);

        Outcome outcome = simulate(fleet, new Random(seed));

        RunSummary summary = outcome.summary();
        assertEquals(RunStatus.COMPLETE, summary.status(), summary.statusReason());
        assertNull(summary.statusReason());
        List<WindowSummary> measured = outcome.windows().stream()
                .filter(w -> w.phase().isMeasured())
                .sorted(Comparator.comparingLong(WindowSummary::windowStart))
                .toList();
        long windowMs = windowSeconds * 1_000L;
        long expectedLastLength = measureMs % windowMs == 0 ? windowMs : measureMs % windowMs;
        long expectedStart = fleet.measureStart();
        for (int i = 0; i < measured.size(); i++) {
            WindowSummary w = measured.get(i);
            boolean last = i == measured.size() - 1;
            long length = w.windowEnd() - w.windowStart();
            assertEquals(expectedStart, w.windowStart(), "windows follow each other without gaps: " + w);
            assertEquals(last ? expectedLastLength : windowMs, length, "window length: " + w);
            expectedStart = w.windowEnd();
            // Each window holds the acks between two late cuts one window apart; the last also holds the late acks.
            double slack = rate * (latenessMs + ackLatencyMs) / 1_000.0 + producers;
            double most = rate * (length + latenessMs + statsMs) / 1_000.0 + producers;
            double least = rate * length / 1_000.0 - slack;
            assertTrue(w.messagesSent() <= most, "window above R(1 + J/W) + 1 report: " + w);
            assertTrue(w.messagesSent() >= least, "window below R(1 - J/W): " + w.messagesSent() + " < " + least);
            assertTrue(w.backlog() >= 0, "negative backlog: " + w);
        }
        assertEquals(fleet.stopAt(), expectedStart, "the measured windows end at the measurement's end");
        assertEquals(
                summary.messagesSent(),
                measured.stream().mapToLong(WindowSummary::messagesSent).sum());
        assertEquals(
                summary.messagesReceived(),
                measured.stream().mapToLong(WindowSummary::messagesReceived).sum());
        assertTrue(summary.backlog() >= 0);
        assertEquals(fleet.measureStart(), summary.measureStart());
        assertEquals(fleet.stopAt(), summary.measureEnd());
        assertEquals(rate, summary.rates().publishRate(), rate * 0.002, "summary publish rate");
    }

    @Example
    void sixtySecondsAtTenThousandReadsTenThousand() {
        Fleet fleet = new Fleet(1, true, 10_000, 1_000, 10, 10_000, 60_000, 10, 5);

        RunSummary summary = simulate(fleet, new Random(7)).summary();

        // Every message, give or take those acked between the warm-up's end and its late phase cut.
        assertEquals(600_000, summary.messagesSent(), 100);
        assertTrue(
                summary.rates().publishRate() >= 9_980 && summary.rates().publishRate() <= 10_020,
                "rate " + summary.rates().publishRate());
    }

    @Example
    void tenSecondsReadsWithinOnePercent() {
        Fleet fleet = new Fleet(3, false, 10_000, 1_000, 10, 5_000, 10_000, 10, 5);

        RunSummary summary = simulate(fleet, new Random(11)).summary();

        assertEquals(10_000, summary.rates().publishRate(), 100);
    }

    /** Runs the fleet's reports through a {@link RunAccumulator}, closing windows as the reports allow. */
    private static Outcome simulate(Fleet fleet, Random random) {
        List<String> agents = new ArrayList<>();
        for (int p = 0; p < fleet.producers(); p++) {
            agents.add("p" + p);
        }
        if (fleet.consumer()) {
            agents.add("c0");
        }
        RunAccumulator run = new RunAccumulator("r1", 0);
        run.applySpec(
                new RunSpec(
                        "wl",
                        "kafka",
                        null,
                        null,
                        agents,
                        null,
                        List.of("t"),
                        1,
                        fleet.warmupMs(),
                        fleet.measureMs(),
                        (int) fleet.statsMs(),
                        fleet.windowSeconds(),
                        null,
                        null,
                        0),
                0);
        run.applyStart(new StartRun(START, fleet.warmupMs(), fleet.measureMs(), fleet.stopAt() + 60_000), 0);

        List<Deque<StatsReport>> queues = new ArrayList<>();
        for (String agent : agents) {
            queues.add(reportsOf(fleet, agent, random));
        }
        List<WindowSummary> windows = new ArrayList<>();
        while (queues.stream().anyMatch(q -> !q.isEmpty())) {
            List<Deque<StatsReport>> waiting =
                    queues.stream().filter(q -> !q.isEmpty()).toList();
            StatsReport report = waiting.get(random.nextInt(waiting.size())).poll();
            assertEquals(RunAccumulator.Outcome.ACCEPTED, run.apply(report.agentId() + "/" + report.seq(), report, 0));
            // The wall clock stands still: windows close only because every agent reported past them.
            windows.addAll(run.closeDueWindows(0, Duration.ZERO));
        }
        assertTrue(run.allAgentsEnded());
        windows.addAll(run.closeAllWindows());
        List<WindowSummary> measured =
                windows.stream().filter(w -> w.phase().isMeasured()).toList();
        return new Outcome(run.summarize(0, measured), windows);
    }

    /** One agent's reports in the order it sends them. */
    private static Deque<StatsReport> reportsOf(Fleet fleet, String agent, Random random) {
        boolean producer = agent.startsWith("p");
        List<Long> cuts = new ArrayList<>();
        cuts.add(START);
        for (long grid = START + fleet.statsMs(); grid <= fleet.stopAt(); grid += fleet.statsMs()) {
            cuts.add(grid + jitter(fleet, random));
        }
        // The final report: cut when the agent closes, after every ack of the stop's last sends came in.
        cuts.add(cuts.get(cuts.size() - 1) + fleet.ackLatencyMs() + 1 + random.nextInt(500));
        Deque<StatsReport> reports = new ArrayDeque<>();
        for (int k = 1; k < cuts.size(); k++) {
            long from = cuts.get(k - 1);
            long to = cuts.get(k);
            boolean last = k == cuts.size() - 1;
            long grid = START + k * fleet.statsMs();
            Phase phase = !last && grid <= fleet.measureStart() ? Phase.WARMUP : Phase.MEASURE;
            long count = producer ? acked(fleet, to) - acked(fleet, from) : received(fleet, to) - received(fleet, from);
            reports.add(new StatsReport(
                    agent,
                    "w" + (agent.hashCode() % 2),
                    producer ? AgentRole.PRODUCER : AgentRole.CONSUMER,
                    phase,
                    k - 1,
                    from,
                    to,
                    producer ? count : 0,
                    producer ? count * 100 : 0,
                    0,
                    Map.of(),
                    producer ? 0 : count,
                    producer ? 0 : count * 100,
                    0,
                    0,
                    0,
                    Map.of(),
                    last,
                    last ? AgentStop.SCHEDULE_END : null,
                    null,
                    0,
                    0L,
                    null,
                    null));
        }
        return reports;
    }

    private static long jitter(Fleet fleet, Random random) {
        return fleet.latenessMs() == 0 ? 0 : random.nextLong(fleet.latenessMs() + 1);
    }

    /** A producer counts a message at its ack. */
    private static long acked(Fleet fleet, long t) {
        return fleet.sentBy(t - fleet.ackLatencyMs());
    }

    /** The consumer sees every producer's messages, often before their producers see the acks. */
    private static long received(Fleet fleet, long t) {
        return fleet.producers() * fleet.sentBy(t - fleet.ackLatencyMs() / 2);
    }
}
