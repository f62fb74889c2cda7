package io.kbench.controller.mode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepPlanTest {

    private final Workload base = Workload.builder()
            .name("w")
            .topics(1)
            .partitionsPerTopic(16)
            .messageSize(1024)
            .payloadFile("/p/payload-1Kb.data")
            .subscriptionsPerTopic(1)
            .producersPerTopic(2)
            .consumerPerSubscription(4)
            .producerRate(20_000.0)
            .testDurationSeconds(10)
            .warmupDurationSeconds(0)
            .build();

    @Test
    void producerSweepKeepsEachProducersShareOrTakesTheGivenPerProducerRate() {
        List<SweepPlan.Point> kept = SweepPlan.points(base, SweepPlan.Dimension.PRODUCERS, List.of(10, 1, 5), null);
        assertEquals(
                List.of(1.0, 5.0, 10.0),
                kept.stream().map(SweepPlan.Point::scale).toList(),
                "sorted");
        assertEquals(100_000, kept.get(2).workload().producerRate(), 1e-9, "10 × 10,000");

        List<SweepPlan.Point> given = SweepPlan.points(base, SweepPlan.Dimension.PRODUCERS, List.of(1, 5), 2_000.0);
        assertEquals(10_000, given.get(1).workload().producerRate(), 1e-9);
        assertEquals(4, given.get(1).workload().consumerPerSubscription());
    }

    @Test
    void sizeSweepUsesRandomizedPayloadsInsteadOfTheFile() {
        SweepPlan.Point point = SweepPlan.points(base, SweepPlan.Dimension.MESSAGE_SIZE, List.of(100), null)
                .get(0);
        assertEquals(100, point.workload().messageSize());
        assertNull(point.workload().payloadFile());
        assertTrue(point.workload().useRandomizedPayloads());
    }

    @Test
    void fixingADimensionKeepsTheName() {
        Workload fixed = SweepPlan.fixed(base, SweepPlan.Dimension.CONSUMERS, 8);
        assertEquals("w", fixed.name());
        assertEquals(8, fixed.consumerPerSubscription());
        assertEquals(20_000, fixed.producerRate(), 1e-9);
    }
}
