package io.kbench.controller.mode;

import static io.kbench.controller.mode.Reports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.StatsReport;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReportedBacklogTest {

    @Test
    void countsUpToTheInstantEveryAgentHasReportedTo() {
        ReportedBacklog backlog = new ReportedBacklog(List.of("p1", "p2", "c1"), 1);
        backlog.add(report("p1", 0, 0, 100, 0));
        backlog.add(report("c1", 0, 0, 0, 40));
        assertNull(backlog.snapshot(), "p2 has not reported yet");

        backlog.add(report("p2", 0, 0, 50, 0));
        assertEquals(new ReportedBacklog.Snapshot(1000, 150, 40), backlog.snapshot());

        // p1 and p2 report two more seconds, c1 one: the instant is c1's, and the producers' third second waits.
        backlog.add(report("p1", 1, 1000, 100, 0));
        backlog.add(report("p2", 1, 1000, 50, 0));
        backlog.add(report("p1", 2, 2000, 100, 0));
        backlog.add(report("p2", 2, 2000, 50, 0));
        backlog.add(report("c1", 1, 1000, 0, 200));
        ReportedBacklog.Snapshot at2000 = backlog.snapshot();
        assertEquals(new ReportedBacklog.Snapshot(2000, 300, 240), at2000);
        assertEquals(60, at2000.backlog());

        backlog.add(report("c1", 2, 2000, 0, 210));
        assertEquals(new ReportedBacklog.Snapshot(3000, 450, 450), backlog.snapshot());
    }

    @Test
    void duplicatesAndStrangersArePassedOver() {
        ReportedBacklog backlog = new ReportedBacklog(List.of("p1", "c1"), 1);
        assertTrue(backlog.add(report("p1", 0, 0, 100, 0)));
        assertFalse(backlog.add(report("p1", 0, 0, 100, 0)), "the same seq again");
        assertFalse(backlog.add(report("x9", 0, 0, 100, 0)), "an agent the run does not have");
        assertTrue(backlog.add(report("c1", 0, 0, 0, 30)));
        assertEquals(new ReportedBacklog.Snapshot(1000, 100, 30), backlog.snapshot());
        assertEquals(2, backlog.passedOver());
    }

    @Test
    void anAgentThatEndedNoLongerHoldsTheInstantBack() {
        ReportedBacklog backlog = new ReportedBacklog(List.of("p1", "c1"), 1);
        backlog.add(report("p1", 0, 0, 1000, 100, 0, true));
        backlog.add(report("c1", 0, 0, 0, 30));
        backlog.add(report("c1", 1, 1000, 0, 60));
        assertEquals(new ReportedBacklog.Snapshot(2000, 100, 90), backlog.snapshot());

        backlog.add(report("c1", 2, 2000, 3000, 0, 10, true));
        assertEquals(new ReportedBacklog.Snapshot(3000, 100, 100), backlog.snapshot(), "all ended: the last end");
    }

    /**
     * Agents whose intervals end off the grid (a phase change cuts one early) count, at each instant, what they had
     * reported by it; asked at any moment, the snapshot equals a recount of every report from the start.
     */
    @Test
    void snapshotsAskedAtAnyMomentEqualARecountFromTheStart() {
        List<String> agents = List.of("p1", "p2", "c1", "c2");
        ReportedBacklog backlog = new ReportedBacklog(agents, 1);
        SplittableRandom random = new SplittableRandom(3);
        Map<String, long[]> next = new java.util.HashMap<>(); // agent -> {seq, start}
        agents.forEach(a -> next.put(a, new long[] {0, 0}));
        List<StatsReport> all = new java.util.ArrayList<>();
        for (int step = 0; step < 2_000; step++) {
            String agent = agents.get(random.nextInt(agents.size()));
            long[] at = next.get(agent);
            long length = random.nextInt(5) == 0 ? 1 + random.nextInt(999) : 1000;
            long count = random.nextInt(1_000);
            boolean producer = agent.startsWith("p");
            StatsReport r =
                    report(agent, at[0], at[1], at[1] + length, producer ? count : 0, producer ? 0 : count, false);
            at[0]++;
            at[1] += length;
            backlog.add(r);
            all.add(r);
            if (random.nextInt(3) == 0) {
                ReportedBacklog.Snapshot snapshot = backlog.snapshot();
                long through =
                        agents.stream().mapToLong(a -> next.get(a)[1]).min().orElseThrow();
                if (through == 0) {
                    assertNull(snapshot);
                    continue;
                }
                long sent = all.stream()
                        .filter(x -> x.intervalEndMs() <= through)
                        .mapToLong(StatsReport::messagesSent)
                        .sum();
                long received = all.stream()
                        .filter(x -> x.intervalEndMs() <= through)
                        .mapToLong(StatsReport::messagesReceived)
                        .sum();
                assertEquals(new ReportedBacklog.Snapshot(through, sent, received), snapshot, "step " + step);
            }
        }
    }

    @Test
    void eachSendIsOwedToEverySubscription() {
        ReportedBacklog backlog = new ReportedBacklog(List.of("p1", "c1", "c2"), 2);
        backlog.add(report("p1", 0, 0, 100, 0));
        backlog.add(report("c1", 0, 0, 0, 100)); // subscription a has read everything
        backlog.add(report("c2", 0, 0, 0, 30)); // subscription b is 70 behind
        ReportedBacklog.Snapshot snapshot = backlog.snapshot();
        assertEquals(200, snapshot.owed());
        assertEquals(70, snapshot.backlog());
    }

    @Test
    void aRunWithoutAgentsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReportedBacklog(List.of(), 1));
    }
}
