package io.kbench.controller.mode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.controller.config.InputError;
import io.kbench.protocol.message.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class C2AfterWarmupTest {

    /** The scaling table's point: 10 producers at 2,000 msg/s each, 4 consumers of one topic. */
    private static Workload.Builder scalingPoint() {
        return Workload.builder()
                .name("s")
                .topics(1)
                .partitionsPerTopic(16)
                .messageSize(1024)
                .subscriptionsPerTopic(1)
                .producersPerTopic(10)
                .consumerPerSubscription(4)
                .producerRate(20_000.0)
                .testDurationSeconds(30)
                .warmupDurationSeconds(60);
    }

    @Test
    void autoStopsC2AtALowFixedRateAfterAWarmup() {
        C2AfterWarmup.Decision decision =
                C2AfterWarmup.AUTO.decide(scalingPoint().build(), 60_000);
        assertTrue(decision.stops(), decision.why());
        // A consumer reads a quarter of 20,000 msg/s: the busiest agent, more than a producer's 2,000.
        assertEquals(5_000, C2AfterWarmup.maxRatePerAgent(scalingPoint().build()));
        assertTrue(decision.line().contains("5,000 msg/s per agent"), decision.line());
    }

    @Test
    void autoKeepsC2WhenAnyAgentRunsFastOrTheRunHasNoFixedRateOrNoWarmup() {
        Workload fast = scalingPoint().consumerPerSubscription(1).build(); // one consumer reads 20,000 msg/s
        assertFalse(C2AfterWarmup.AUTO.decide(fast, 60_000).stops());
        assertTrue(C2AfterWarmup.AUTO.decide(fast, 60_000).why().contains("20,000 msg/s per agent"));

        Workload discovery = scalingPoint().producerRate(0.0).build();
        assertFalse(C2AfterWarmup.AUTO.decide(discovery, 60_000).stops());

        Workload backlog =
                scalingPoint().consumerBacklogSizeGB(1.0).backlogDrainRatio(1.0).build();
        assertFalse(C2AfterWarmup.AUTO.decide(backlog, 60_000).stops());

        assertFalse(C2AfterWarmup.AUTO.decide(scalingPoint().build(), 0).stops());
    }

    @Test
    void keepAndStopAreTheUsersWhateverTheRun() {
        Workload fast = scalingPoint().consumerPerSubscription(1).build();
        assertTrue(C2AfterWarmup.STOP.decide(fast, 60_000).stops());
        assertFalse(C2AfterWarmup.KEEP.decide(scalingPoint().build(), 60_000).stops());
    }

    @Test
    void parsesAnyCaseAndNamesTheOptionAndValueWhenItCannot() {
        assertEquals(C2AfterWarmup.STOP, C2AfterWarmup.parse(" Stop "));
        InputError error = assertThrows(InputError.class, () -> C2AfterWarmup.parse("c1"));
        assertTrue(error.getMessage().contains("--agent-c2-after-warmup"), error.getMessage());
        assertTrue(error.getMessage().contains("'c1'"), error.getMessage());
    }
}
