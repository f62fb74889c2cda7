package io.kbench.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RateSplitTest {

    @Test
    void theTotalIsSharedEvenly() {
        assertEquals(2500.0, RateSplit.perProducer(10_000, 4));
        assertEquals(1.0 / 3, RateSplit.perProducer(1, 3), 1e-12);
    }

    @Test
    void noPositiveTotalMeansUnthrottled() {
        assertEquals(0.0, RateSplit.perProducer(0, 4));
        assertEquals(0.0, RateSplit.perProducer(-1, 4));
    }

    @Test
    void aSplitOverNoProducerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RateSplit.perProducer(100, 0));
    }
}
