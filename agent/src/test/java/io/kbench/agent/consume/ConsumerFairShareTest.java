package io.kbench.agent.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConsumerFairShareTest {

    @Test
    void aFullGroupsMemberHoldsAtMostTheCeilingOfItsShare() {
        assertEquals(4, ConsumerAgent.fairShare(16, 4));
        assertEquals(6, ConsumerAgent.fairShare(16, 3), "range gives 6, 5, 5");
        assertEquals(1, ConsumerAgent.fairShare(3, 4), "more members than partitions: at most one each");
    }

    @Test
    void withoutAKnownGroupSizeEveryPartitionIsItsShare() {
        assertEquals(16, ConsumerAgent.fairShare(16, 0));
        assertEquals(16, ConsumerAgent.fairShare(16, 1));
    }
}
