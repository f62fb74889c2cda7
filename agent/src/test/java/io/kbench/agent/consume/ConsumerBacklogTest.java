package io.kbench.agent.consume;

import static io.kbench.agent.consume.ConsumerAgent.BEHIND_RECORDS;
import static io.kbench.agent.consume.ConsumerAgent.CAUGHT_UP_RECORDS;
import static io.kbench.agent.consume.ConsumerAgent.readsBacklog;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a consumer counts as reading a backlog, for its JVM's heap headroom: a lag threshold with hysteresis. */
class ConsumerBacklogTest {

    @Test
    void aConsumerThatKeepsUpDoesNotReadABacklog() {
        assertFalse(readsBacklog(false, 0));
        assertFalse(readsBacklog(false, BEHIND_RECORDS - 1), "a few thousand records between two fetches");
        assertTrue(readsBacklog(false, BEHIND_RECORDS));
    }

    @Test
    void onceBehindItReadsABacklogUntilItHasCaughtUp() {
        assertTrue(readsBacklog(true, BEHIND_RECORDS - 1), "no flapping around the threshold");
        assertTrue(readsBacklog(true, CAUGHT_UP_RECORDS));
        assertFalse(readsBacklog(true, CAUGHT_UP_RECORDS - 1));
    }

    @Test
    void anUnknownLagOrAPausedConsumerIsNotReadingABacklog() {
        assertFalse(readsBacklog(false, -1));
        assertFalse(readsBacklog(true, -1), "paused to build a backlog: the room goes back");
    }
}
